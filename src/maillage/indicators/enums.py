"""Vocabulary of the indicators: roll-up grains, measures, dimensions and their French labels."""

from django.db import models


class Span(models.TextChoices):
    """Grain of a roll-up row: one day, or a whole month (the sum of its days)."""

    DAY = "day", "Jour"
    MONTH = "month", "Mois"


class Side(models.TextChoices):
    SENDER = "sender", "Opérateur qui oriente"
    RECEIVER = "receiver", "Opérateur qui reçoit"


class ProfileDimension(models.TextChoices):
    AGE_BAND = "age_band", "Tranche d'âge"
    PERSON_STATUS = "person_status", "Situation professionnelle"


class ReasonKind(models.TextChoices):
    REFUSAL = "refusal", "Motif de refus"
    OUTCOME = "outcome", "Résultat de l'accompagnement"


class DelayMeasure(models.TextChoices):
    RECEIVED = "received", "Envoi → réception"
    ACCEPTED = "accepted", "Envoi → acceptation"


# The department of the roll-up rows that sum every department.
ALL_DEPARTMENTS = "*"

# Delays above this many business days are stored in the last bucket ("N or more").
DELAY_CAP = 250

# The counters of a flow row, in the order of the tables (column name, French label).
FLOW_COUNTERS = [
    ("sent", "Envoyées"),
    ("received", "Reçues"),
    ("accepted", "Acceptées"),
    ("refused", "Refusées"),
    ("expired", "Expirées"),
    ("closed", "Clôturées"),
    ("redirected", "Réorientées"),
    ("cancelled", "Annulées"),
]
# Terminal referral states counted on the day the referral ended (referrals' Status values).
ENDED_COUNTERS = ("refused", "expired", "closed", "redirected", "cancelled")

AGE_BAND_LABELS = {
    "-26": "Moins de 26 ans",
    "26-34": "26 à 34 ans",
    "35-44": "35 à 44 ans",
    "45-54": "45 à 54 ans",
    "55+": "55 ans et plus",
    "": "Non renseigné",
}

PERSON_STATUS_LABELS = {
    "employed_private": "Salarié du privé",
    "employed_public": "Agent public",
    "self_employed": "Indépendant",
    "job_seeker": "Demandeur d'emploi",
    "other": "Autre situation",
    "": "Non renseigné",
}
