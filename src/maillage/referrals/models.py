"""Referrals (orientations): the person sent, its consent, history, messages and webhooks."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from maillage.core.scoping import scoped_manager, sides
from maillage.referrals.enums import (
    ACCEPTED_STATES,
    TERMINAL,
    Action,
    ConsentMethod,
    DeliveryStatus,
    ExportFormat,
    ExportStatus,
    Outcome,
    PreferredContact,
    RefusalReason,
    Side,
    Status,
    Via,
)

ORGANISATION = "partners.Organisation"


class Referral(models.Model):
    """One person sent by one operator to another, until the outcome comes back."""

    sender_organisation = models.ForeignKey(
        ORGANISATION, on_delete=models.PROTECT, related_name="+", verbose_name="orienté par"
    )
    receiver_organisation = models.ForeignKey(
        ORGANISATION, on_delete=models.PROTECT, related_name="+", verbose_name="orienté vers"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="envoyée par",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="suivie par",
    )
    redirected_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redirections",
        verbose_name="réorientation de",
    )
    # "Orienter ailleurs": the referral refused or expired that this one starts again from.
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_referrals",
        verbose_name="suite de l'orientation",
    )
    # Optionally one service offer of the receiving operator (validated in the service).
    offer = models.ForeignKey(
        "partners.ServiceOffer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="offre de service demandée",
    )
    status = models.CharField("état", max_length=20, choices=Status.choices)

    # Person: identity, contact, need. Erased by anonymisation (see services.anonymise).
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    preferred_contact = models.CharField(
        "contact préféré", max_length=10, choices=PreferredContact.choices, blank=True
    )
    need = models.TextField("besoin")
    # Normalised copies for the inbox search and duplicate detection (indexed).
    search_name = models.CharField(max_length=210, blank=True, db_index=False)
    identity_key = models.CharField(max_length=230, blank=True)
    email_key = models.CharField(max_length=254, blank=True)

    # Statistics kept after anonymisation.
    department = models.CharField("département", max_length=3, blank=True)
    age_band = models.CharField("tranche d'âge", max_length=10, blank=True)

    # Routing, as sent: the profile, the decision, and whether the person chose another operator.
    profile = models.JSONField("profil d'aiguillage", default=dict, blank=True)
    decision = models.JSONField("décision d'aiguillage", default=dict, blank=True)
    free_choice = models.BooleanField("choix libre de la personne", default=False)

    # Consent: who recorded it, when, how, and which operators it covers.
    consent_method = models.CharField(
        "recueil du consentement", max_length=20, choices=ConsentMethod.choices
    )
    consent_given_at = models.DateTimeField("consentement donné le")
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    consent_operators = models.JSONField("opérateurs couverts", default=list)

    duplicate_reason = models.TextField("motif malgré un doublon", blank=True)
    # Whether Maillage writes to the person (their link); "no" needs the sender's reason.
    contact_person = models.BooleanField("informer la personne", default=True)
    no_contact_reason = models.TextField("motif pour ne pas contacter la personne", blank=True)

    sent_at = models.DateTimeField("envoyée le")
    received_at = models.DateTimeField("reçue le", null=True, blank=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    first_appointment_on = models.DateField("premier rendez-vous", null=True, blank=True)
    ended_at = models.DateTimeField("terminée le", null=True, blank=True)
    reminded_at = models.DateTimeField("relancée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    refusal_reason = models.CharField(
        "motif de refus", max_length=30, choices=RefusalReason.choices, blank=True
    )
    outcome = models.CharField("résultat", max_length=30, choices=Outcome.choices, blank=True)
    status_message = models.TextField("message du dernier changement", blank=True)

    objects = scoped_manager(sides("sender_organisation", "receiver_organisation"))

    class Meta:
        verbose_name = "orientation"
        ordering = ["-sent_at", "-id"]
        indexes = [
            # The inboxes: each box, optionally by state, newest first (id breaks ties, so the
            # index gives the page order without a sort).
            models.Index(
                fields=["receiver_organisation", "status", "-sent_at", "-id"],
                name="ref_rcv_status_sent",
            ),
            models.Index(fields=["receiver_organisation", "-sent_at", "-id"], name="ref_rcv_sent"),
            models.Index(
                fields=["sender_organisation", "status", "-sent_at", "-id"],
                name="ref_snd_status_sent",
            ),
            models.Index(fields=["sender_organisation", "-sent_at", "-id"], name="ref_snd_sent"),
            # Name search, prefix on PostgreSQL's trigram index (migration 0002) or here.
            models.Index(fields=["receiver_organisation", "search_name"], name="ref_rcv_name"),
            # Duplicates, anonymisation.
            models.Index(fields=["identity_key", "status"], name="ref_identity"),
            models.Index(fields=["email_key", "status"], name="ref_email"),
            models.Index(fields=["anonymised_at", "ended_at"], name="ref_retention"),
            # Indicator roll-ups rebuild a day from the rows whose event fell on that day.
            models.Index(fields=["sent_at"], name="ref_sent_at"),
            models.Index(fields=["received_at"], name="ref_received_at"),
            models.Index(fields=["accepted_at"], name="ref_accepted_at"),
            models.Index(fields=["ended_at"], name="ref_ended_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender_organisation=models.F("receiver_organisation")),
                name="referral_not_to_self",
                violation_error_message="Une orientation va vers un autre opérateur.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="referral_status_known",
                violation_error_message="État d'orientation inconnu.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ACCEPTED_STATES) | Q(accepted_at__isnull=False),
                name="referral_accepted_has_date",
                violation_error_message="Une orientation acceptée a une date d'acceptation.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=TERMINAL) | Q(ended_at__isnull=False),
                name="referral_ended_has_date",
                violation_error_message="Une orientation terminée a une date de fin.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(outcome=""),
                name="referral_closed_has_outcome",
                violation_error_message="Une orientation clôturée a un résultat.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REFUSED) | ~Q(refusal_reason=""),
                name="referral_refused_has_reason",
                violation_error_message="Un refus a un motif.",
            ),
        ]

    def __str__(self):
        # No personal data here: this string is copied into the audit log.
        return f"Orientation n° {self.pk}"

    def get_absolute_url(self):
        return reverse("referrals:detail", args=[self.pk])

    @property
    def person_name(self):
        if self.anonymised_at:
            return "Personne anonymisée"
        return f"{self.first_name} {self.last_name}".strip()

    def side_of(self, organisation):
        if organisation is None:
            return None
        if organisation.pk == self.receiver_organisation_id:
            return Side.RECEIVER
        if organisation.pk == self.sender_organisation_id:
            return Side.SENDER
        return None


def attachments_storage():
    from django.core.files.storage import storages

    return storages["attachments"]


def attachment_path(instance, filename):
    # A random name: neither the person's name nor the file's own name is in the path.
    return f"referrals/{instance.referral_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A document sent with a referral (a CV, a report), deleted with its personal data."""

    referral = models.ForeignKey("Referral", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=attachments_storage, upload_to=attachment_path, max_length=200)
    name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    organisation = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = scoped_manager(
        sides("referral__sender_organisation", "referral__receiver_organisation")
    )

    class Meta:
        verbose_name = "pièce jointe"
        ordering = ["created_at", "id"]

    def __str__(self):
        # No file name here: it may hold the person's name and this goes to the audit log.
        return f"Pièce jointe n° {self.pk}"


class ReceiverSettings(models.Model):
    """How a receiving operator wants to be reminded of the referrals waiting for its answer."""

    organisation = models.OneToOneField(
        ORGANISATION, on_delete=models.CASCADE, related_name="referral_settings"
    )
    # After the first reminder (the operator's `referral_reminder_business_days`), again every
    # this many business days until acceptance or expiry.
    reminder_interval_business_days = models.PositiveSmallIntegerField(
        "relancer ensuite tous les (jours ouvrés)", default=3
    )

    class Meta:
        verbose_name = "réglages des orientations reçues"
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder_interval_business_days__gte=1),
                name="receiver_settings_interval_positive",
                violation_error_message="L'intervalle de relance est d'au moins un jour ouvré.",
            )
        ]

    def __str__(self):
        return f"Réglages de {self.organisation}"


class Reminder(models.Model):
    """One reminder slot of one referral: the unique pair makes a second run send nothing."""

    referral = models.ForeignKey("Referral", on_delete=models.CASCADE, related_name="reminders")
    # 1 for the first reminder, 2 for the next one (one interval later)…
    slot = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["referral", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "slot"], name="reminder_once_per_slot")
        ]

    def __str__(self):
        return f"Relance {self.slot} de l'orientation {self.referral_id}"


class Transition(models.Model):
    """One row per state change: from, to, who, when, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    reason = models.CharField(max_length=30, blank=True)
    message = models.TextField(blank=True)
    via = models.CharField(max_length=20, choices=Via.choices, blank=True, default="")
    created_at = models.DateTimeField()

    objects = scoped_manager(
        sides("referral__sender_organisation", "referral__receiver_organisation")
    )

    class Meta:
        verbose_name = "changement d'état"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"

    def reason_label(self):
        choices = dict(RefusalReason.choices) | dict(Outcome.choices)
        choices["consent_withdrawn"] = "retrait du consentement"
        if self.reason in choices:
            return choices[self.reason]
        # A redirection's reason is the operator it went to: shown by its name.
        from maillage.core.french import operator_name

        return operator_name(self.reason)


class Message(models.Model):
    """A message between both sides, or an internal note only the author's organisation reads."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    internal = models.BooleanField("note interne", default=False)
    body = models.TextField("message")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(
        sides("referral__sender_organisation", "referral__receiver_organisation")
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Message n° {self.pk}"


class PendingNotification(models.Model):
    """A change waiting for a user's daily digest (users who chose `digest`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(
        sides("referral__sender_organisation", "referral__receiver_organisation")
    )

    class Meta:
        indexes = [models.Index(fields=["digested_at", "user"], name="ref_notif_pending")]

    def __str__(self):
        return self.text


def message_id_new():
    return f"msg_{uuid.uuid4().hex}"


class Webhook(models.Model):
    """An operator's endpoint: each status change of its referrals is POSTed there, signed."""

    organisation = models.ForeignKey(ORGANISATION, on_delete=models.CASCADE, related_name="+")
    url = models.URLField("adresse (URL)", max_length=500)
    # The Standard Webhooks form `whsec_<base64 of the key>`, generated by Maillage.
    secret = models.CharField("secret partagé", max_length=200)
    is_active = models.BooleanField("actif", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "webhook"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event to one webhook, with the last attempt's result (the delivery log).

    `message_id` is the Standard Webhooks `webhook-id`: the same for every attempt, so that the
    receiver can tell a retry from a new event. Retries are the worker's (retry policy of
    `deliver_webhook`); `claimed_until` keeps two workers from posting it at the same time.
    """

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, related_name="+")
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # A French summary ("le serveur a refusé la connexion"), never the raw error text.
    last_error = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(
        max_length=40, unique=True, default=message_id_new, editable=False
    )
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.event} → {self.webhook_id} ({self.status})"


class LinkKind(models.TextChoices):
    RECEIVER = "receiver", "lien de l'opérateur qui reçoit"
    PERSON = "person", "lien de la personne"


class AccessLink(models.Model):
    """A signed link to one referral without an account; the row makes it revocable."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="access_links")
    organisation = models.ForeignKey(
        ORGANISATION, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    first_used_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    objects = scoped_manager(
        sides("referral__sender_organisation", "referral__receiver_organisation")
    )

    class Meta:
        verbose_name = "lien d'accès"
        indexes = [models.Index(fields=["referral", "kind"], name="ref_link_kind")]

    def __str__(self):
        return f"Lien {self.pk} ({self.kind})"


class PersonNotice(models.Model):
    """A message to the person (email or SMS), kept in the referral's timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notices")
    channel = models.CharField(max_length=10)  # email, sms
    subject = models.CharField(max_length=200)
    # The SMS text waits here for the worker and is erased once sent (emails use the outbox).
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(
        sides("referral__sender_organisation", "referral__receiver_organisation")
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.subject


def exports_storage():
    from django.core.files.storage import storages

    return storages["exports"]


def export_path(instance, filename):
    # A random name: the organisation's files are not guessable from their path.
    return f"referrals/{instance.organisation_id}/{uuid.uuid4().hex}"


class ExportJob(models.Model):
    """A large export asked by a manager and built by the worker into a private file."""

    organisation = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The inbox filters the export was asked with: {"box": …, "status": …}.
    filters = models.JSONField(default=dict)
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_written = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True)
    file = models.FileField(
        storage=exports_storage, upload_to=export_path, max_length=200, blank=True
    )
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField("raison de l'échec", blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(sides("organisation"))

    class Meta:
        verbose_name = "export"
        indexes = [
            models.Index(fields=["organisation", "requested_by", "-created_at"]),
            models.Index(fields=["status", "finished_at"]),
        ]

    def __str__(self):
        return f"Export {self.pk} ({self.format}, {self.status})"

    @property
    def percent(self):
        if self.status == ExportStatus.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_written * 100 // self.rows_total)
