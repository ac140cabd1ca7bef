"""Vocabulary of referrals: states, actions, coded reasons and outcomes (French labels)."""

from django.db import models


class Status(models.TextChoices):
    SENT = "sent", "Envoyée"
    RECEIVED = "received", "Reçue"
    ACCEPTED = "accepted", "Acceptée"
    IN_PROGRESS = "in_progress", "En cours d'accompagnement"
    CLOSED = "closed", "Clôturée"
    REFUSED = "refused", "Refusée"
    REDIRECTED = "redirected", "Réorientée"
    CANCELLED = "cancelled", "Annulée"
    EXPIRED = "expired", "Expirée"


# Waiting for the receiving operator's answer: reminders and expiry apply.
PENDING = (Status.SENT, Status.RECEIVED)
# Open for duplicate detection: the person is being handled somewhere.
OPEN = (Status.SENT, Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS)
# Refused or expired: the sender may redirect the person elsewhere ("Orienter ailleurs").
REFOCUS_STATES = (Status.REFUSED, Status.EXPIRED)
# Accepted once: these states carry an acceptance date.
ACCEPTED_STATES = (Status.ACCEPTED, Status.IN_PROGRESS, Status.CLOSED)
TERMINAL = (
    Status.CLOSED,
    Status.REFUSED,
    Status.REDIRECTED,
    Status.CANCELLED,
    Status.EXPIRED,
)


class Action(models.TextChoices):
    SEND = "send", "Envoyer"
    RECEIVE = "receive", "Marquer comme reçue"
    ACCEPT = "accept", "Accepter"
    START = "start", "Enregistrer le premier rendez-vous"
    CLOSE = "close", "Clôturer"
    REFUSE = "refuse", "Refuser"
    REDIRECT = "redirect", "Réorienter"
    CANCEL = "cancel", "Annuler"
    EXPIRE = "expire", "Expirer"
    WITHDRAW = "withdraw", "Retirer son consentement"


class Side(models.TextChoices):
    SENDER = "sender", "opérateur qui oriente"
    RECEIVER = "receiver", "opérateur qui reçoit"
    SYSTEM = "system", "Maillage"
    PERSON = "person", "la personne orientée"


class Via(models.TextChoices):
    """Where an action came from, besides a signed-in page or the API."""

    PAGE = "", "espace Maillage"
    EMAIL_LINK = "email_link", "par lien e-mail"
    PERSON_LINK = "person_link", "par le lien de la personne"


# The reason recorded when the person withdraws their consent.
CONSENT_WITHDRAWN = "consent_withdrawn"


class RefusalReason(models.TextChoices):
    UNREACHABLE = "unreachable", "Personne injoignable"
    OUTSIDE_PUBLIC = "outside_public", "Hors de notre public"
    ALREADY_SUPPORTED = "already_supported", "Déjà accompagnée ailleurs"
    PERSON_DECLINED = "person_declined", "La personne a renoncé"
    DUPLICATE = "duplicate", "Doublon"
    OTHER = "other", "Autre motif (message obligatoire)"
    # Retired codes stay readable in old data but leave the forms (see RETIRED_REASONS).
    NOT_ENOUGH_INFORMATION_V0 = (
        "missing_information",
        "Informations insuffisantes (ancien motif)",
    )


RETIRED_REASONS = {RefusalReason.NOT_ENOUGH_INFORMATION_V0}
ACTIVE_REFUSAL_REASONS = [c for c in RefusalReason if c not in RETIRED_REASONS]

# What the refusal form pre-fills as the message to the sender, per reason.
REFUSAL_MESSAGES = {
    RefusalReason.UNREACHABLE: "Nous n'avons pas réussi à joindre la personne malgré plusieurs "
    "tentatives.",
    RefusalReason.OUTSIDE_PUBLIC: "La situation de la personne ne relève pas de notre public.",
    RefusalReason.ALREADY_SUPPORTED: "La personne est déjà accompagnée par un autre opérateur.",
    RefusalReason.PERSON_DECLINED: "La personne ne souhaite plus être accompagnée par nous.",
    RefusalReason.DUPLICATE: "Une autre orientation de cette personne est déjà en cours chez nous.",
    RefusalReason.OTHER: "",
}


class Outcome(models.TextChoices):
    ADVICE_GIVEN = "advice_given", "Conseil délivré"
    PROJECT_DEFINED = "project_defined", "Projet professionnel défini"
    TRAINING_STARTED = "training_started", "Entrée en formation"
    JOB_FOUND_OR_KEPT = "job_found_or_kept", "Emploi trouvé ou conservé"
    PERSON_STOPPED = "person_stopped", "Abandon de la personne"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Orientée vers une autre structure"
    UNREACHABLE = "unreachable", "Personne injoignable"


RETIRED_OUTCOMES: set = set()
ACTIVE_OUTCOMES = [c for c in Outcome if c not in RETIRED_OUTCOMES]


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", "En personne"
    PHONE = "phone", "Par téléphone"
    WRITTEN = "written", "Par écrit"


class PreferredContact(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Téléphone"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    DELIVERED = "delivered", "Livrée"
    RETRYING = "retrying", "Nouvel essai prévu"
    FAILED = "failed", "Échec définitif"


class ExportStatus(models.TextChoices):
    """An export built by the worker: queued, being written, ready, failed, or its file removed."""

    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    READY = "ready", "Prêt"
    FAILED = "failed", "En échec"
    REMOVED = "removed", "Fichier supprimé"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel"
