"""Kinds and states of events and registrations (their moves: `maillage.events.workflow`)."""

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
    CONFIRMED = "confirmed", _("Confirmée")
    WAITLISTED = "waitlisted", _("En liste d'attente")
    OFFERED = "offered", _("Place proposée")
    CANCELLED = "cancelled", _("Annulée")
    ATTENDED = "attended", _("Présent")
    NO_SHOW = "no_show", _("Absent")


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
    SELF = "self", _("Annulée par la personne")
    ORGANISER = "organiser", _("Annulée par l'organisation")
    OFFER_EXPIRED = "offer_expired", _("Proposition de place non confirmée à temps")
    OFFER_DECLINED = "offer_declined", _("Proposition de place déclinée")
    EVENT_CANCELLED = "event_cancelled", _("Évènement annulé")
