"""Kinds and states of events and registrations (their moves: `maillage.events.workflow`)."""

from django.db import models


class EventKind(models.TextChoices):
    FORUM = "forum", "Forum"
    INFO_SESSION = "info_session", "Réunion d'information"
    WORKSHOP = "workshop", "Atelier"
    JOB_DATING = "job_dating", "Job dating"
    WEBINAR = "webinar", "Webinaire"
    TRAINING = "training", "Session de professionnalisation"
    OTHER = "other", "Autre"


class Audience(models.TextChoices):
    PUBLIC = "public", "Tout public"
    MEMBERS = "members", "Membres du partenariat"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publié"
    REGISTRATION_CLOSED = "registration_closed", "Inscriptions closes"
    HELD = "held", "Tenu"
    CANCELLED = "cancelled", "Annulé"


# The allowed moves of events and registrations: `maillage.events.workflow` (data on the
# shared engine).

# Registrations are visible to the public (calendar, event page) in these states.
VISIBLE_EVENT_STATUSES = (
    EventStatus.PUBLISHED,
    EventStatus.REGISTRATION_CLOSED,
    EventStatus.HELD,
    EventStatus.CANCELLED,
)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmée"
    WAITLISTED = "waitlisted", "En liste d'attente"
    OFFERED = "offered", "Place proposée"
    CANCELLED = "cancelled", "Annulée"
    ATTENDED = "attended", "Présent"
    NO_SHOW = "no_show", "Absent"


# States that hold a seat: capacity is counted over these.
SEAT_HOLDING = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)
# States of a person still expected at the event (reminders, check-in list).
EXPECTED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)


class CancelReason(models.TextChoices):
    SELF = "self", "Annulée par la personne"
    ORGANISER = "organiser", "Annulée par l'organisation"
    OFFER_EXPIRED = "offer_expired", "Proposition de place non confirmée à temps"
    OFFER_DECLINED = "offer_declined", "Proposition de place déclinée"
    EVENT_CANCELLED = "event_cancelled", "Évènement annulé"
