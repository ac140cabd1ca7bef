"""Helpers to build referrals through the real services (so history and audit are real)."""

from datetime import date

from maillage.referrals import services
from maillage.referrals.enums import Action, Status

PROFILE = {"department": "93", "status": "job_seeker", "age": 30}

# The path of actions that leads to each state, and which side takes them.
PATHS = {
    Status.SENT: [],
    Status.RECEIVED: [Action.RECEIVE],
    Status.ACCEPTED: [Action.ACCEPT],
    Status.IN_PROGRESS: [Action.ACCEPT, Action.START],
    Status.CLOSED: [Action.ACCEPT, Action.START, Action.CLOSE],
    Status.REFUSED: [Action.REFUSE],
    Status.CANCELLED: [Action.CANCEL],
    Status.EXPIRED: [],
    Status.REDIRECTED: [],
}

_counter = iter(range(1, 10**6))


def send(
    sender, receiver, *, first_name=None, last_name="Dupont", birth_date=None, email=None, **extra
):
    """A referral sent by `sender` (a Membership) to `receiver`'s organisation."""
    n = next(_counter)
    kwargs = {
        "actor": sender.user,
        "organisation": sender.organisation,
        "to": receiver.organisation.slug,
        "person": {
            "first_name": first_name or f"Marie{n}",
            "last_name": last_name,
            "birth_date": birth_date,
            "email": email or f"marie{n}@exemple.fr",
            "phone": "",
        },
        "profile": PROFILE,
        "need": "Faire le point sur son projet.",
        "consent": {"given": True, "method": "in_person"},
    }
    kwargs.update(extra)
    return services.referral_send(**kwargs)


def walk(referral, sender, receiver, status):
    """Move `referral` to `status` along the declared workflow."""
    for action in PATHS[status]:
        actor = sender if action == Action.CANCEL else receiver
        services.referral_transition(
            actor=actor.user,
            organisation=actor.organisation,
            referral_id=referral.pk,
            action=action,
            reason="unreachable" if action == Action.REFUSE else "",
            outcome="advice_given" if action == Action.CLOSE else "",
            first_appointment_on=date.today() if action == Action.START else None,
        )
    if status == Status.EXPIRED:
        services.referral_expire(referral_id=referral.pk)
    if status == Status.REDIRECTED:
        services.referral_transition(
            actor=receiver.user,
            organisation=receiver.organisation,
            referral_id=referral.pk,
            action=Action.REDIRECT,
            to=_third_operator().slug,
            message="Mieux suivie ailleurs.",
            consent={"given": True, "method": "phone"},
        )
    referral.refresh_from_db()
    return referral


def _third_operator():
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Opérateur tiers", slug="operateur-tiers")
