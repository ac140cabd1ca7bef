"""The referral workflow, declared once: which side may take which action from which state."""

from dataclasses import dataclass

from maillage.referrals.enums import Action, Side, Status


@dataclass(frozen=True)
class Rule:
    sources: tuple
    target: str
    side: str
    # The timestamp field the transition fills in (besides the log row).
    stamp: str = ""


TRANSITIONS = {
    Action.RECEIVE: Rule((Status.SENT,), Status.RECEIVED, Side.RECEIVER, "received_at"),
    Action.ACCEPT: Rule(
        (Status.SENT, Status.RECEIVED), Status.ACCEPTED, Side.RECEIVER, "accepted_at"
    ),
    Action.START: Rule((Status.ACCEPTED,), Status.IN_PROGRESS, Side.RECEIVER),
    # Closing straight from `accepted` covers people who never came to the first appointment.
    Action.CLOSE: Rule(
        (Status.ACCEPTED, Status.IN_PROGRESS), Status.CLOSED, Side.RECEIVER, "ended_at"
    ),
    Action.REFUSE: Rule((Status.SENT, Status.RECEIVED), Status.REFUSED, Side.RECEIVER, "ended_at"),
    Action.REDIRECT: Rule(
        (Status.SENT, Status.RECEIVED), Status.REDIRECTED, Side.RECEIVER, "ended_at"
    ),
    Action.CANCEL: Rule((Status.SENT, Status.RECEIVED), Status.CANCELLED, Side.SENDER, "ended_at"),
    Action.EXPIRE: Rule((Status.SENT, Status.RECEIVED), Status.EXPIRED, Side.SYSTEM, "ended_at"),
}

# What a person may ask for (the API and the pages); `expire` belongs to the worker.
USER_ACTIONS = [a for a, rule in TRANSITIONS.items() if rule.side != Side.SYSTEM]

# Why an action is refused in a given state, in words a counsellor can act on.
STATE_EXPLANATIONS = {
    Status.SENT: "elle n'a pas encore été ouverte par l'opérateur destinataire",
    Status.RECEIVED: "elle attend encore une réponse de l'opérateur destinataire",
    Status.ACCEPTED: "elle a déjà été acceptée",
    Status.IN_PROGRESS: "l'accompagnement a déjà commencé",
    Status.CLOSED: "elle est déjà clôturée",
    Status.REFUSED: "elle a déjà été refusée",
    Status.REDIRECTED: "elle a déjà été réorientée",
    Status.CANCELLED: "elle a été annulée par l'opérateur qui oriente",
    Status.EXPIRED: "elle a expiré faute de réponse dans le délai",
}


def actions_available(status, side):
    """The actions this side may take now, in table order (drives the buttons on the page)."""
    return [
        action
        for action, rule in TRANSITIONS.items()
        if rule.side == side and status in rule.sources and action != Action.RECEIVE
    ]
