"""Events co-organised by several operators, their registrations and the logs of their states."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from maillage.accounts.models import Membership
from maillage.core.scoping import scoped_manager
from maillage.events.enums import (
    Audience,
    CancelReason,
    EventKind,
    EventStatus,
    RegistrationStatus,
)


class Event(models.Model):
    title = models.CharField("titre", max_length=200)
    kind = models.CharField("type", max_length=20, choices=EventKind.choices)
    audience = models.CharField(
        "public visé", max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        "état", max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    summary = models.CharField("résumé", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin")
    department = models.ForeignKey(
        "partners.Department",
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    venue = models.CharField("lieu", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    # Sent to registrants only (emails, their own page): never on the public page or the feed.
    online_url = models.URLField("lien de connexion", blank=True)
    capacity = models.PositiveIntegerField("places", null=True, blank=True)
    registration_opens_at = models.DateTimeField(
        "ouverture des inscriptions", null=True, blank=True
    )
    registration_closes_at = models.DateTimeField("clôture des inscriptions", null=True, blank=True)
    # [{"key": "attentes", "label": "Vos attentes ?", "required": false}]
    questions = models.JSONField("questions", default=list, blank=True)
    offer_hours = models.PositiveSmallIntegerField(
        "délai de réponse à une place proposée (heures)", default=48
    )
    reminder_days = models.PositiveSmallIntegerField("rappel (jours avant)", default=2)
    # Reserved seats (default): an operator's people use its reserved seats first, then the
    # general ones. Caps (training sessions): an operator with a quota never goes beyond it.
    quotas_are_caps = models.BooleanField("quotas plafonnés par opérateur", default=False)
    lead_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name="opérateur pilote",
        on_delete=models.PROTECT,
        related_name="led_events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_message = models.TextField("motif d'annulation", blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    # The calendar identity (feed, download, emails): the UID never changes, the SEQUENCE is
    # raised on each change of time, place, link, title or on cancellation.
    ics_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "évènement"
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["department", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="La fin doit suivre le début.",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gte=models.F("registration_opens_at")),
                name="event_registration_window_ordered",
                violation_error_message=("La clôture des inscriptions doit suivre leur ouverture."),
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gte=1),
                name="event_offer_hours_positive",
                violation_error_message="Le délai de réponse est d'au moins une heure.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def calendar_uid(self):
        return f"{self.ics_uid}@maillage"

    @property
    def is_online(self):
        return bool(self.online_url) and not self.venue and not self.address


class EventOrganiser(models.Model):
    """An operator organising the event, and what it brings (the lead one included)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organisers")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="event_contributions"
    )
    is_lead = models.BooleanField("pilote", default=False)
    counsellors = models.PositiveSmallIntegerField("conseillers mobilisés", default=0)
    hours = models.DecimalField("heures", max_digits=6, decimal_places=1, default=0)
    room = models.CharField("salle", max_length=200, blank=True)
    stand = models.BooleanField("stand", default=False)
    material = models.CharField("matériel", max_length=300, blank=True)
    note = models.CharField("précisions", max_length=300, blank=True)

    class Meta:
        verbose_name = "co-organisateur"
        ordering = ["-is_lead", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="event_organiser_unique"
            ),
            models.UniqueConstraint(
                fields=["event"], condition=Q(is_lead=True), name="event_single_lead"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.event}"


class SeatQuota(models.Model):
    """Seats reserved for the people an operator sends (taken before the general seats)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quotas")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveIntegerField("places réservées")

    class Meta:
        verbose_name = "places réservées"
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="seat_quota_unique"),
        ]

    def __str__(self):
        return f"{self.seats} place(s) pour {self.organisation}"


class EventTransition(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=EventStatus.choices)
    to_status = models.CharField(max_length=20, choices=EventStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


def _registration_readers(organisation):
    return (
        Exists(EventOrganiser.objects.filter(event=OuterRef("event"), organisation=organisation))
        | Q(sent_by_organisation=organisation)
        | Exists(Membership.objects.filter(user=OuterRef("user"), organisation=organisation))
    )


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField("état", max_length=12, choices=RegistrationStatus.choices)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    # Lower-cased; blank once personal data is purged (counts stay).
    email = models.EmailField("adresse e-mail")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    answers = models.JSONField("réponses", default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    sent_by_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name="envoyé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Order of the waiting list: when the person (last) joined it.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # When the link was last e-mailed again to someone registering twice (once an hour at most).
    link_resent_at = models.DateTimeField(null=True, blank=True)
    survey_sent_at = models.DateTimeField(null=True, blank=True)
    survey_rating = models.PositiveSmallIntegerField("satisfaction", null=True, blank=True)
    survey_comment = models.TextField("commentaire", blank=True)
    survey_answered_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    # An organisation reads the registrations of the events it organises, those it sent, and
    # its own members' (a counsellor's enrolment in another operator's training session).
    objects = scoped_manager(_registration_readers)

    class Meta:
        verbose_name = "inscription"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email=""),
                name="registration_unique_email_per_event",
                violation_error_message="Cette adresse est déjà inscrite à cet évènement.",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="registration_unique_user_per_event",
            ),
            models.CheckConstraint(
                condition=Q(survey_rating__isnull=True)
                | Q(survey_rating__gte=1, survey_rating__lte=5),
                name="registration_rating_1_to_5",
                violation_error_message="La note va de 1 à 5.",
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.OFFERED) | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_deadline",
            ),
        ]

    def __str__(self):
        # No name here: str() lands in the audit log, which outlives the personal data.
        return f"Inscription n° {self.pk}"

    @property
    def full_name(self):
        if self.anonymised_at:
            return "(anonymisée)"
        return f"{self.first_name} {self.last_name}".strip()


class RegistrationTransition(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=RegistrationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    reason = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"
