"""The partnership as data: departments, communes, organisations, sites, offers, conventions."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

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
    code = models.CharField("code", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region_code = models.CharField("code région", max_length=3, db_index=True)
    region_name = models.CharField("région", max_length=100)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A commune of the reference (INSEE code, postcodes, position) — data/communes.csv."""

    insee_code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    search_key = models.CharField(max_length=100, db_index=True, editable=False)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    # Space-separated five-digit codes: a `contains` lookup stays exact and portable.
    postcodes = models.CharField("codes postaux", max_length=200, blank=True)
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    population = models.PositiveIntegerField("population", default=0)
    precision = models.CharField("précision de la position", max_length=10, default="commune")

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    @property
    def postcode_list(self):
        return self.postcodes.split()


class Organisation(models.Model):
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[siret_validator])
    phone = models.CharField("téléphone du contact régional", max_length=20, blank=True)
    email = models.EmailField("e-mail du contact régional", blank=True)
    networks = models.JSONField("réseaux porteurs (data·inclusion)", default=list, blank=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    public_summary = models.TextField("public accompagné", blank=True)
    publics = models.JSONField("publics", default=list, blank=True)
    description = models.TextField("présentation", blank=True)
    history = models.TextField("histoire", blank=True)
    website = models.URLField("site web", blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name="départements couverts", blank=True, related_name="+"
    )
    active_from = models.DateField("actif depuis", null=True, blank=True)
    active_until = models.DateField("actif jusqu'au", null=True, blank=True)
    is_active = models.BooleanField("actif dans Maillage", default=True)
    accepts_referrals = models.BooleanField("reçoit des orientations", default=False)
    referral_reminder_business_days = models.PositiveSmallIntegerField(
        "relance après (jours ouvrés)", default=5
    )
    referral_expiry_business_days = models.PositiveSmallIntegerField(
        "expiration après (jours ouvrés)", default=30
    )

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="organisation_active_dates_ordered",
                violation_error_message="La date de fin précède la date de début.",
            ),
            models.CheckConstraint(
                condition=Q(
                    referral_expiry_business_days__gt=models.F("referral_reminder_business_days")
                ),
                name="organisation_expiry_after_reminder",
                violation_error_message="L'expiration doit venir après la relance.",
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
        Organisation, on_delete=models.CASCADE, related_name="names", verbose_name="organisation"
    )
    name = models.CharField("nom", max_length=200)
    website = models.URLField("site web", blank=True)
    valid_from = models.DateField("du", null=True, blank=True)
    valid_until = models.DateField("jusqu'au", null=True, blank=True)
    # Compiled routing rules embed the names: a newer stamp tells them to recompile.
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "nom daté"
        verbose_name_plural = "noms datés"
        ordering = ["organisation", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="organisation_name_dates_ordered",
                violation_error_message="La date de fin précède la date de début.",
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
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    name = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[siret_validator])
    address = models.CharField("adresse", max_length=300, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name="commune (code INSEE)",
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="sites", verbose_name="département"
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    opening_hours = models.CharField(
        "horaires (format OpenStreetMap)",
        max_length=300,
        blank=True,
        validators=[opening_hours_validator],
    )
    accessibility_url = models.URLField(
        "accessibilité (fiche Acceslibre)",
        max_length=500,
        blank=True,
        validators=[acceslibre_validator],
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "site"
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
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="service_offers",
        verbose_name="sites où l'offre est rendue",
    )
    # Coded as data·inclusion does (`modes_mobilisation`, `mobilisable_par`).
    mobilisation_modes = models.JSONField("comment la demander", default=list, blank=True)
    mobilisable_by = models.JSONField("qui peut la demander", default=list, blank=True)
    mobilisation_url = models.URLField("lien pour la demander", max_length=500, blank=True)
    eligibility_departments = models.JSONField(
        "zone d'éligibilité (départements)", default=list, blank=True
    )
    is_free = models.BooleanField("gratuite", default=True)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    publics = models.JSONField("publics", default=list, blank=True)
    themes = models.JSONField("thèmes", default=list, blank=True)
    modes = models.JSONField("modalités", default=list, blank=True)
    how_to_ask = models.TextField("comment en bénéficier", blank=True)
    is_active = models.BooleanField("active", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "offre de service"
        verbose_name_plural = "offres de service"
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
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    title = models.CharField("titre", max_length=300)
    region_code = models.CharField("code région", max_length=3)
    signed_on = models.DateField("signée le")
    signed_at = models.CharField("signée à", max_length=200, blank=True)
    valid_from = models.DateField("en vigueur du")
    valid_until = models.DateField("en vigueur jusqu'au", null=True, blank=True)
    summary = models.TextField("résumé", blank=True)
    commitment = models.TextField("engagement des parties", blank=True)
    axes = models.JSONField("axes", default=list, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="ConventionSignatory", related_name="conventions"
    )

    class Meta:
        verbose_name = "convention"
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="convention_dates_ordered",
                violation_error_message="La fin de validité précède son début.",
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
    role = models.CharField("rôle", max_length=20, choices=SignatoryRole.choices)
    joined_on = models.DateField("depuis le")
    left_on = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "partie à la convention"
        verbose_name_plural = "parties à la convention"
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation"], name="signatory_unique_per_convention"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"
