"""The partnership as data: departments, communes, organisations, sites, offers, conventions."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.partners.enums import (
    MobilisableBy,
    MobilisationMode,
    Mode,
    OrganisationKind,
    Public,
    SignatoryRole,
    Theme,
    labels,
)
from maillage.partners.validators import (
    acceslibre_validator,
    opening_hours_validator,
    siret_validator,
)


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region_code = models.CharField(_("code région"), max_length=3, db_index=True)
    region_name = models.CharField(_("région"), max_length=100)

    class Meta:
        verbose_name = _("département")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A commune of the reference (INSEE code, postcodes, position) — data/communes.csv."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    search_key = models.CharField(max_length=100, db_index=True, editable=False)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name=_("département")
    )
    # Space-separated five-digit codes: a `contains` lookup stays exact and portable.
    postcodes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"), default=0)
    precision = models.CharField(_("précision de la position"), max_length=10, default="commune")

    class Meta:
        verbose_name = _("commune")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    @property
    def postcode_list(self):
        return self.postcodes.split()


class Organisation(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    phone = models.CharField(_("téléphone du contact régional"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail du contact régional"), blank=True)
    networks = models.JSONField(_("réseaux porteurs (data·inclusion)"), default=list, blank=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    public_summary = models.TextField(_("public accompagné"), blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    history = models.TextField(_("histoire"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("départements couverts"), blank=True, related_name="+"
    )
    active_from = models.DateField(_("actif depuis"), null=True, blank=True)
    active_until = models.DateField(_("actif jusqu'au"), null=True, blank=True)
    is_active = models.BooleanField(_("actif dans Maillage"), default=True)
    accepts_referrals = models.BooleanField(_("reçoit des orientations"), default=False)
    referral_reminder_business_days = models.PositiveSmallIntegerField(
        _("relance après (jours ouvrés)"), default=5
    )
    referral_expiry_business_days = models.PositiveSmallIntegerField(
        _("expiration après (jours ouvrés)"), default=30
    )

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="organisation_active_dates_ordered",
                violation_error_message=_("La date de fin précède la date de début."),
            ),
            models.CheckConstraint(
                condition=Q(
                    referral_expiry_business_days__gt=models.F("referral_reminder_business_days")
                ),
                name="organisation_expiry_after_reminder",
                violation_error_message=_("L'expiration doit venir après la relance."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:organisation_detail", args=[self.slug])

    @property
    def is_coordination(self):
        return self.kind == OrganisationKind.COORDINATION

    def publics_labels(self):
        return labels(Public, self.publics)

    def is_current_on(self, day=None):
        day = day or timezone.localdate()
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )

    def name_on(self, day):
        """The name the organisation bore on `day` (Pôle emploi in 2023, France Travail in 2024).

        Reads the prefetched `names` when there are any (`prefetch_related("names")`).
        """
        return name_on(self.name, self.names.all(), day)


def name_on(current, names, day):
    """`current` unless one of `names` (OrganisationName rows) covers `day`."""
    for item in names:
        if item.covers(day):
            return item.name
    return current


class OrganisationName(models.Model):
    """A name an organisation bore for a period: renames are dated data, never an overwrite."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="names", verbose_name=_("organisation")
    )
    name = models.CharField(_("nom"), max_length=200)
    website = models.URLField(_("site web"), blank=True)
    valid_from = models.DateField(_("du"), null=True, blank=True)
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    # Compiled routing rules embed the names: a newer stamp tells them to recompile.
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("nom daté")
        verbose_name_plural = _("noms datés")
        ordering = ["organisation", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="organisation_name_dates_ordered",
                violation_error_message=_("La date de fin précède la date de début."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="organisation_name_unique_start"
            ),
        ]

    def __str__(self):
        return self.name

    def covers(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Site(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("commune (code INSEE)"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="sites", verbose_name=_("département")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(
        _("horaires (format OpenStreetMap)"),
        max_length=300,
        blank=True,
        validators=[opening_hours_validator],
    )
    accessibility_url = models.URLField(
        _("accessibilité (fiche Acceslibre)"),
        max_length=500,
        blank=True,
        validators=[acceslibre_validator],
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("site")
        ordering = ["department_id", "city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name")
        ]

    def __str__(self):
        return f"{self.organisation} — {self.name}"

    @property
    def has_position(self):
        return self.latitude is not None and self.longitude is not None


class ServiceOffer(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="service_offers"
    )
    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="service_offers",
        verbose_name=_("sites où l'offre est rendue"),
    )
    # Coded as data·inclusion does (`modes_mobilisation`, `mobilisable_par`).
    mobilisation_modes = models.JSONField(_("comment la demander"), default=list, blank=True)
    mobilisable_by = models.JSONField(_("qui peut la demander"), default=list, blank=True)
    mobilisation_url = models.URLField(_("lien pour la demander"), max_length=500, blank=True)
    eligibility_departments = models.JSONField(
        _("zone d'éligibilité (départements)"), default=list, blank=True
    )
    is_free = models.BooleanField(_("gratuite"), default=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    modes = models.JSONField(_("modalités"), default=list, blank=True)
    how_to_ask = models.TextField(_("comment en bénéficier"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("offre de service")
        verbose_name_plural = _("offres de service")
        ordering = ["organisation__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="offer_unique_title")
        ]

    def __str__(self):
        return self.title

    def publics_labels(self):
        return labels(Public, self.publics)

    def themes_labels(self):
        return labels(Theme, self.themes)

    def modes_labels(self):
        return labels(Mode, self.modes)

    def mobilisation_modes_labels(self):
        return labels(MobilisationMode, self.mobilisation_modes)

    def mobilisable_by_labels(self):
        return labels(MobilisableBy, self.mobilisable_by)


class Convention(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    region_code = models.CharField(_("code région"), max_length=3)
    signed_on = models.DateField(_("signée le"))
    signed_at = models.CharField(_("signée à"), max_length=200, blank=True)
    valid_from = models.DateField(_("en vigueur du"))
    valid_until = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    commitment = models.TextField(_("engagement des parties"), blank=True)
    axes = models.JSONField(_("axes"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="ConventionSignatory", related_name="conventions"
    )

    class Meta:
        verbose_name = _("convention")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="convention_dates_ordered",
                violation_error_message=_("La fin de validité précède son début."),
            )
        ]

    def __str__(self):
        return self.title

    def is_in_force_on(self, day=None):
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class ConventionSignatory(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="convention_parties"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=SignatoryRole.choices)
    joined_on = models.DateField(_("depuis le"))
    left_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("partie à la convention")
        verbose_name_plural = _("parties à la convention")
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation"], name="signatory_unique_per_convention"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"
