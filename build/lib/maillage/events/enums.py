"""Kinds and states of events and registrations, with their allowed transitions (declared once)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    INFO_SESSION = "info_session", _("Réunion d'information")
    WORKSHOP = "workshop", _("Atelier")
    JOB_DATING = "job_dating", _("Job dating")
    WEBINAR = "webinar", _("Webinaire")
    TRAINING = "training", _("Session de professionnalisation")
    OTHER = "other", _("Autre")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Tout public")
    MEMBERS = "members", _("Membres du partenariat")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    REGISTRATION_CLOSED = "registration_closed", _("Inscriptions closes")
    HELD = "held", _("Tenu")
    CANCELLED = "cancelled", _("Annulé")


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
    CONFIRMED = "confirmed", _("Confirmée")
    WAITLISTED = "waitlisted", _("En liste d'attente")
    OFFERED = "offered", _("Place proposée")
    CANCELLED = "cancelled", _("Annulée")
    ATTENDED = "attended", _("Présent")
    NO_SHOW = "no_show", _("Absent")


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
    SELF = "self", _("Annulée par la personne")
    ORGANISER = "organiser", _("Annulée par l'organisation")
    OFFER_EXPIRED = "offer_expired", _("Proposition de place non confirmée à temps")
    OFFER_DECLINED = "offer_declined", _("Proposition de place déclinée")
    EVENT_CANCELLED = "event_cancelled", _("Évènement annulé")
