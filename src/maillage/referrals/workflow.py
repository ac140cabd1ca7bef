"""The referral workflow, declared once as data for the shared engine (`core.workflow`)."""

from django.utils.functional import lazy

from maillage.core.workflow import Move, Workflow
from maillage.referrals.enums import Action, Side, Status
from maillage.referrals.models import Transition

_lower = lazy(lambda text: str(text).lower(), str)


def _move(action, sources, target, side, stamp=""):
    # The refusal names the action as the buttons do: « accepter », « clôturer »…
    return Move(sources, target, {side}, stamp=stamp, label=_lower(action.label))


WORKFLOW = Workflow(
    name="referrals.referral",
    states=Status,
    moves={
        Action.RECEIVE: _move(
            Action.RECEIVE, (Status.SENT,), Status.RECEIVED, Side.RECEIVER, "received_at"
        ),
        Action.ACCEPT: _move(
            Action.ACCEPT,
            (Status.SENT, Status.RECEIVED),
            Status.ACCEPTED,
            Side.RECEIVER,
            "accepted_at",
        ),
        Action.START: _move(Action.START, (Status.ACCEPTED,), Status.IN_PROGRESS, Side.RECEIVER),
        # Closing straight from `accepted` covers people who never came to the first appointment.
        Action.CLOSE: _move(
            Action.CLOSE,
            (Status.ACCEPTED, Status.IN_PROGRESS),
            Status.CLOSED,
            Side.RECEIVER,
            "ended_at",
        ),
        Action.REFUSE: _move(
            Action.REFUSE, (Status.SENT, Status.RECEIVED), Status.REFUSED, Side.RECEIVER, "ended_at"
        ),
        Action.REDIRECT: _move(
            Action.REDIRECT,
            (Status.SENT, Status.RECEIVED),
            Status.REDIRECTED,
            Side.RECEIVER,
            "ended_at",
        ),
        Action.CANCEL: _move(
            Action.CANCEL, (Status.SENT, Status.RECEIVED), Status.CANCELLED, Side.SENDER, "ended_at"
        ),
        Action.EXPIRE: _move(
            Action.EXPIRE, (Status.SENT, Status.RECEIVED), Status.EXPIRED, Side.SYSTEM, "ended_at"
        ),
        # The person may withdraw their consent at any time while the referral is open.
        Action.WITHDRAW: _move(
            Action.WITHDRAW,
            (Status.SENT, Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS),
            Status.CANCELLED,
            Side.PERSON,
            "ended_at",
        ),
    },
    log_model=Transition,
    log_owner="referral",
    # Why an action is refused in a given state, in words a counsellor can act on.
    explanations={
        Status.SENT: "elle n'a pas encore été ouverte par l'opérateur destinataire",
        Status.RECEIVED: "elle attend encore une réponse de l'opérateur destinataire",
        Status.ACCEPTED: "elle a déjà été acceptée",
        Status.IN_PROGRESS: "l'accompagnement a déjà commencé",
        Status.CLOSED: "elle est déjà clôturée",
        Status.REFUSED: "elle a déjà été refusée",
        Status.REDIRECTED: "elle a déjà été réorientée",
        Status.CANCELLED: "elle a été annulée par l'opérateur qui oriente",
        Status.EXPIRED: "elle a expiré faute de réponse dans le délai",
    },
    who_words={
        Side.SENDER: "l'opérateur qui oriente",
        Side.RECEIVER: "l'opérateur qui reçoit",
        Side.SYSTEM: "Maillage",
        Side.PERSON: "la personne orientée",
    },
    noun="cette orientation",
)

# What a signed-in person may ask for (the API and the pages): `expire` belongs to the worker,
# `withdraw` to the person's own link.
USER_ACTIONS = [
    action for action, move in WORKFLOW.moves.items() if move.who & {Side.SENDER, Side.RECEIVER}
]


def actions_available(referral, side):
    """The buttons of a page: the moves this side may take now (receiving is never a button)."""
    return WORKFLOW.available(referral, side, exclude=(Action.RECEIVE,))
