"""Vocabulary of the indicators: roll-up grains, measures, dimensions and their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Span(models.TextChoices):
    """Grain of a roll-up row: one day, or a whole month (the sum of its days)."""

    DAY = "day", _("Jour")
    MONTH = "month", _("Mois")


class Side(models.TextChoices):
    SENDER = "sender", _("Opérateur qui oriente")
    RECEIVER = "receiver", _("Opérateur qui reçoit")


class ProfileDimension(models.TextChoices):
    AGE_BAND = "age_band", _("Tranche d'âge")
    PERSON_STATUS = "person_status", _("Situation professionnelle")


class ReasonKind(models.TextChoices):
    REFUSAL = "refusal", _("Motif de refus")
    OUTCOME = "outcome", _("Résultat de l'accompagnement")


class DelayMeasure(models.TextChoices):
    RECEIVED = "received", _("Envoi → réception")
    ACCEPTED = "accepted", _("Envoi → acceptation")


# The department of the roll-up rows that sum every department.
ALL_DEPARTMENTS = "*"

# Delays above this many business days are stored in the last bucket ("N or more").
DELAY_CAP = 250

# The counters of a flow row, in the order of the tables (column name, French label).
FLOW_COUNTERS = [
    ("sent", _("Envoyées")),
    ("received", _("Reçues")),
    ("accepted", _("Acceptées")),
    ("refused", _("Refusées")),
    ("expired", _("Expirées")),
    ("closed", _("Clôturées")),
    ("redirected", _("Réorientées")),
    ("cancelled", _("Annulées")),
]
# Terminal referral states counted on the day the referral ended (referrals' Status values).
ENDED_COUNTERS = ("refused", "expired", "closed", "redirected", "cancelled")

AGE_BAND_LABELS = {
    "-26": _("Moins de 26 ans"),
    "26-34": _("26 à 34 ans"),
    "35-44": _("35 à 44 ans"),
    "45-54": _("45 à 54 ans"),
    "55+": _("55 ans et plus"),
    "": _("Non renseigné"),
}

PERSON_STATUS_LABELS = {
    "employed_private": _("Salarié du privé"),
    "employed_public": _("Agent public"),
    "self_employed": _("Indépendant"),
    "job_seeker": _("Demandeur d'emploi"),
    "other": _("Autre situation"),
    "": _("Non renseigné"),
}
