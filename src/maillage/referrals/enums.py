"""Vocabulary of referrals: states, actions, coded reasons and outcomes (French labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SENT = "sent", _("Envoyée")
    RECEIVED = "received", _("Reçue")
    ACCEPTED = "accepted", _("Acceptée")
    IN_PROGRESS = "in_progress", _("En cours d'accompagnement")
    CLOSED = "closed", _("Clôturée")
    REFUSED = "refused", _("Refusée")
    REDIRECTED = "redirected", _("Réorientée")
    CANCELLED = "cancelled", _("Annulée")
    EXPIRED = "expired", _("Expirée")


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
    SEND = "send", _("Envoyer")
    RECEIVE = "receive", _("Marquer comme reçue")
    ACCEPT = "accept", _("Accepter")
    START = "start", _("Enregistrer le premier rendez-vous")
    CLOSE = "close", _("Clôturer")
    REFUSE = "refuse", _("Refuser")
    REDIRECT = "redirect", _("Réorienter")
    CANCEL = "cancel", _("Annuler")
    EXPIRE = "expire", _("Expirer")
    WITHDRAW = "withdraw", _("Retirer son consentement")


class Side(models.TextChoices):
    SENDER = "sender", _("opérateur qui oriente")
    RECEIVER = "receiver", _("opérateur qui reçoit")
    SYSTEM = "system", _("Maillage")
    PERSON = "person", _("la personne orientée")


class Via(models.TextChoices):
    """Where an action came from, besides a signed-in page or the API."""

    PAGE = "", _("espace Maillage")
    EMAIL_LINK = "email_link", _("par lien e-mail")
    PERSON_LINK = "person_link", _("par le lien de la personne")


# The reason recorded when the person withdraws their consent.
CONSENT_WITHDRAWN = "consent_withdrawn"


class RefusalReason(models.TextChoices):
    UNREACHABLE = "unreachable", _("Personne injoignable")
    OUTSIDE_PUBLIC = "outside_public", _("Hors de notre public")
    ALREADY_SUPPORTED = "already_supported", _("Déjà accompagnée ailleurs")
    PERSON_DECLINED = "person_declined", _("La personne a renoncé")
    DUPLICATE = "duplicate", _("Doublon")
    OTHER = "other", _("Autre motif (message obligatoire)")
    # Retired codes stay readable in old data but leave the forms (see RETIRED_REASONS).
    NOT_ENOUGH_INFORMATION_V0 = (
        "missing_information",
        _("Informations insuffisantes (ancien motif)"),
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
    ADVICE_GIVEN = "advice_given", _("Conseil délivré")
    PROJECT_DEFINED = "project_defined", _("Projet professionnel défini")
    TRAINING_STARTED = "training_started", _("Entrée en formation")
    JOB_FOUND_OR_KEPT = "job_found_or_kept", _("Emploi trouvé ou conservé")
    PERSON_STOPPED = "person_stopped", _("Abandon de la personne")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Orientée vers une autre structure")
    UNREACHABLE = "unreachable", _("Personne injoignable")


RETIRED_OUTCOMES: set = set()
ACTIVE_OUTCOMES = [c for c in Outcome if c not in RETIRED_OUTCOMES]


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("En personne")
    PHONE = "phone", _("Par téléphone")
    WRITTEN = "written", _("Par écrit")


class PreferredContact(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Téléphone")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    DELIVERED = "delivered", _("Livrée")
    RETRYING = "retrying", _("Nouvel essai prévu")
    FAILED = "failed", _("Échec définitif")
