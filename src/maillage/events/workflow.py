"""The events' two state machines, declared once as data on the shared engine (core.workflow).

Services apply them (`EVENT_WF.apply`, `REGISTRATION_WF.apply`), the organisers' page asks
`EVENT_WF.available` for its buttons. Capacities (`who`):
- events: "manager" (a manager of an organising operator, or the coordination);
- registrations: "person" (the registrant, or whoever registers them), "organiser" (the
  organisers' members, at check-in or when they cancel someone), "system" (the seat engine
  and the worker: offers, expiries, an event's cancellation passed on to its registrants).
"""

from maillage.core.workflow import Move, Workflow
from maillage.events.enums import EventStatus, RegistrationStatus
from maillage.events.models import EventTransition, RegistrationTransition

ES = EventStatus
Status = RegistrationStatus

EVENT_WF = Workflow(
    name="events.event",
    states=EventStatus,
    moves={
        "publish": Move(
            (ES.DRAFT, ES.REGISTRATION_CLOSED), ES.PUBLISHED, {"manager"}, label="publier"
        ),
        "close_registration": Move(
            (ES.PUBLISHED,), ES.REGISTRATION_CLOSED, {"manager"}, label="clore les inscriptions"
        ),
        "hold": Move(
            (ES.PUBLISHED, ES.REGISTRATION_CLOSED), ES.HELD, {"manager"}, label="marquer comme tenu"
        ),
        "cancel": Move(
            (ES.DRAFT, ES.PUBLISHED, ES.REGISTRATION_CLOSED),
            ES.CANCELLED,
            {"manager"},
            stamp="cancelled_at",
            label="annuler",
        ),
    },
    log_model=EventTransition,
    log_owner="event",
    explanations={
        ES.HELD: "il est déjà tenu",
        ES.CANCELLED: "il est annulé",
    },
    who_words={"manager": "un responsable d'un opérateur organisateur ou la coordination"},
    noun="cet évènement",
)

REGISTRATION_WF = Workflow(
    name="events.registration",
    states=RegistrationStatus,
    moves={
        # Registering again after a cancellation reopens the same row (never a second one).
        "waitlist": Move((Status.CANCELLED,), Status.WAITLISTED, {"person"}),
        "offer": Move((Status.WAITLISTED,), Status.OFFERED, {"system"}, stamp="offered_at"),
        "confirm": Move(
            (
                Status.WAITLISTED,
                Status.OFFERED,
                Status.CANCELLED,
                Status.ATTENDED,
                Status.NO_SHOW,
            ),
            Status.CONFIRMED,
            {"person", "organiser"},
            label="confirmer",
        ),
        "cancel": Move(
            (Status.WAITLISTED, Status.OFFERED, Status.CONFIRMED),
            Status.CANCELLED,
            {"person", "organiser", "system"},
            stamp="cancelled_at",
            label="annuler",
        ),
        "attend": Move(
            (Status.CONFIRMED, Status.NO_SHOW),
            Status.ATTENDED,
            {"organiser"},
            label="pointer présente",
        ),
        "no_show": Move(
            (Status.CONFIRMED, Status.ATTENDED),
            Status.NO_SHOW,
            {"organiser"},
            label="pointer absente",
        ),
    },
    log_model=RegistrationTransition,
    log_owner="registration",
    explanations={
        Status.CANCELLED: "elle est annulée",
        Status.ATTENDED: "la personne est pointée présente",
        Status.NO_SHOW: "la personne est pointée absente",
    },
    who_words={
        "person": "la personne inscrite",
        "organiser": "l'organisation",
        "system": "Maillage",
    },
    noun="cette inscription",
    initial=(Status.CONFIRMED, Status.WAITLISTED),
)

# Each target state is reached by one action: the services name moves by their target.
EVENT_ACTION_TO = {move.target: action for action, move in EVENT_WF.moves.items()}
REGISTRATION_ACTION_TO = {move.target: action for action, move in REGISTRATION_WF.moves.items()}
