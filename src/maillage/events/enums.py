"""Kinds and states of events and registrations, with their allowed transitions (declared once)."""

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


EVENT_TRANSITIONS = {
    EventStatus.DRAFT: {EventStatus.PUBLISHED, EventStatus.CANCELLED},
    EventStatus.PUBLISHED: {
        EventStatus.REGISTRATION_CLOSED,
        EventStatus.HELD,
        EventStatus.CANCELLED,
    },
    EventStatus.REGISTRATION_CLOSED: {
        EventStatus.PUBLISHED,
        EventStatus.HELD,
        EventStatus.CANCELLED,
    },
    EventStatus.HELD: set(),
    EventStatus.CANCELLED: set(),
}

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


RS = RegistrationStatus
REGISTRATION_TRANSITIONS = {
    RS.WAITLISTED: {RS.OFFERED, RS.CONFIRMED, RS.CANCELLED},
    RS.OFFERED: {RS.CONFIRMED, RS.CANCELLED},
    RS.CONFIRMED: {RS.CANCELLED, RS.ATTENDED, RS.NO_SHOW},
    RS.ATTENDED: {RS.NO_SHOW, RS.CONFIRMED},
    RS.NO_SHOW: {RS.ATTENDED, RS.CONFIRMED},
    # The same email registering again after cancelling reopens its own row (never a 2nd one).
    RS.CANCELLED: {RS.CONFIRMED, RS.WAITLISTED},
}

# States that hold a seat: capacity is counted over these.
SEAT_HOLDING = (RS.CONFIRMED, RS.OFFERED, RS.ATTENDED, RS.NO_SHOW)
# States of a person still expected at the event (reminders, check-in list).
EXPECTED = (RS.CONFIRMED, RS.ATTENDED, RS.NO_SHOW)


class CancelReason(models.TextChoices):
    SELF = "self", "Annulée par la personne"
    ORGANISER = "organiser", "Annulée par l'organisation"
    OFFER_EXPIRED = "offer_expired", "Proposition de place non confirmée à temps"
    OFFER_DECLINED = "offer_declined", "Proposition de place déclinée"
    EVENT_CANCELLED = "event_cancelled", "Évènement annulé"
