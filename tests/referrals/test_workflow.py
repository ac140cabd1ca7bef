"""The declared workflow: every allowed transition, every forbidden one (403 side, 409 state)."""

from datetime import date

import pytest

from maillage.core.errors import Conflict, DomainError, Forbidden
from maillage.core.models import AuditEntry
from maillage.referrals import services
from maillage.referrals.enums import Action, Side, Status
from maillage.referrals.models import Referral, Transition
from tests.referrals import factories

pytestmark = pytest.mark.django_db

ALL_STATES = list(Status)

# Written out, not read from the table: a wrong entry in `WORKFLOW` makes these fail.
ALLOWED = [
    # (action, from state, the side that may take it, target)
    ("receive", "sent", "receiver", "received"),
    ("accept", "sent", "receiver", "accepted"),
    ("accept", "received", "receiver", "accepted"),
    ("start", "accepted", "receiver", "in_progress"),
    ("close", "accepted", "receiver", "closed"),
    ("close", "in_progress", "receiver", "closed"),
    ("refuse", "sent", "receiver", "refused"),
    ("refuse", "received", "receiver", "refused"),
    ("redirect", "sent", "receiver", "redirected"),
    ("redirect", "received", "receiver", "redirected"),
    ("cancel", "sent", "sender", "cancelled"),
    ("cancel", "received", "sender", "cancelled"),
]
SIDE_OF_ACTION = {
    "receive": "receiver",
    "accept": "receiver",
    "start": "receiver",
    "close": "receiver",
    "refuse": "receiver",
    "redirect": "receiver",
    "cancel": "sender",
}


def _act(membership, referral, action, **extra):
    defaults = {
        "reason": "other" if action == Action.REFUSE else "",
        "message": "Motif détaillé.",
        "outcome": "advice_given" if action == Action.CLOSE else "",
        "first_appointment_on": date.today() if action == Action.START else None,
        "to": "operateur-tiers" if action == Action.REDIRECT else "",
        "consent": {"given": True, "method": "phone"} if action == Action.REDIRECT else None,
    }
    defaults.update(extra)
    return services.referral_transition(
        actor=membership.user,
        organisation=membership.organisation,
        referral_id=referral.pk,
        action=action,
        **defaults,
    )


@pytest.mark.parametrize(("action", "source", "side", "target"), ALLOWED)
def test_every_allowed_transition_moves_logs_and_audits(
    sender, receiver, action, source, side, target
):
    factories._third_operator()
    referral = factories.walk(factories.send(sender, receiver), sender, receiver, source)
    actor = sender if side == Side.SENDER else receiver
    _act(actor, referral, action)
    referral.refresh_from_db()
    assert referral.status == target
    row = Transition.objects.filter(referral=referral).last()
    assert (row.from_status, row.to_status, row.actor) == (source, target, actor.user)
    assert AuditEntry.objects.filter(
        action=f"referrals.referral.{target}", object_id=str(referral.pk)
    ).exists()


@pytest.mark.parametrize("action", list(SIDE_OF_ACTION))
def test_the_wrong_side_is_refused_with_403_whatever_the_state(sender, receiver, action):
    referral = factories.send(sender, receiver)
    wrong = receiver if SIDE_OF_ACTION[action] == Side.SENDER else sender
    with pytest.raises(Forbidden) as exc:
        _act(wrong, referral, action)
    assert exc.value.status_code == 403
    assert "Seul l'opérateur" in exc.value.message
    referral.refresh_from_db()
    assert referral.status == Status.SENT


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (a, s)
        for a in SIDE_OF_ACTION
        for s in [
            Status.SENT,
            Status.RECEIVED,
            Status.ACCEPTED,
            Status.IN_PROGRESS,
            Status.CLOSED,
            Status.REFUSED,
            Status.CANCELLED,
            Status.EXPIRED,
            Status.REDIRECTED,
        ]
        if (a, s) not in {(action, source) for action, source, _side, _target in ALLOWED}
    ],
)
def test_an_action_from_a_wrong_state_is_a_409_with_a_french_reason(
    sender, receiver, action, state
):
    factories._third_operator()
    referral = factories.walk(factories.send(sender, receiver), sender, receiver, state)
    actor = sender if SIDE_OF_ACTION[action] == Side.SENDER else receiver
    with pytest.raises(Conflict) as exc:
        _act(actor, referral, action)
    assert exc.value.status_code == 409
    assert exc.value.message.startswith("Impossible de")
    assert Referral.objects.get(pk=referral.pk).status == state


def test_refusal_needs_an_active_coded_reason(referral, receiver):
    with pytest.raises(DomainError, match="motif"):
        _act(receiver, referral, Action.REFUSE, reason="")
    with pytest.raises(DomainError, match="motif"):
        _act(receiver, referral, Action.REFUSE, reason="missing_information")  # retired


def test_refusal_with_other_needs_a_message(referral, receiver):
    with pytest.raises(DomainError, match="autre"):
        _act(receiver, referral, Action.REFUSE, reason="other", message="  ")


def test_refusal_without_message_sends_the_reasons_standard_wording(referral, receiver):
    _act(receiver, referral, Action.REFUSE, reason="outside_public", message="")
    referral.refresh_from_db()
    assert referral.refusal_reason == "outside_public"
    assert referral.status_message == "La situation de la personne ne relève pas de notre public."


def test_closing_needs_an_outcome_and_starting_a_date(referral, sender, receiver):
    factories.walk(referral, sender, receiver, Status.ACCEPTED)
    with pytest.raises(DomainError, match="premier rendez-vous"):
        _act(receiver, referral, Action.START, first_appointment_on=None)
    with pytest.raises(DomainError, match="résultat"):
        _act(receiver, referral, Action.CLOSE, outcome="")
    _act(receiver, referral, Action.CLOSE, outcome="person_stopped")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.CLOSED, "person_stopped")
    assert referral.ended_at is not None


def test_redirect_creates_a_linked_referral_when_consent_covers_the_new_operator(sender, receiver):
    third = factories._third_operator()
    referral = factories.send(sender, receiver, consent_operators=[third.slug])
    done = _act(receiver, referral, Action.REDIRECT, consent=None, message="Public Cap emploi.")
    referral.refresh_from_db()
    new = done.new_referral
    assert referral.status == Status.REDIRECTED
    assert new.redirected_from == referral
    assert (new.sender_organisation, new.receiver_organisation) == (receiver.organisation, third)
    assert new.first_name == referral.first_name and new.status == Status.SENT


def test_redirect_without_consent_for_the_new_operator_is_refused(sender, receiver):
    factories._third_operator()
    referral = factories.send(sender, receiver)
    with pytest.raises(DomainError, match="consentement") as exc:
        _act(receiver, referral, Action.REDIRECT, consent=None)
    assert exc.value.field == "consent.given"
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_opening_by_the_receiver_receives_and_is_audited(referral, receiver, sender):
    services.referral_read(actor=sender.user, organisation=sender.organisation, referral=referral)
    assert referral.status == Status.SENT  # the sender's own reading changes nothing
    services.referral_read(
        actor=receiver.user, organisation=receiver.organisation, referral=referral
    )
    assert referral.status == Status.RECEIVED and referral.received_at is not None
    assert AuditEntry.objects.filter(action="referrals.referral.read").count() == 2


def test_accepting_unread_also_stamps_the_reception(referral, receiver):
    _act(receiver, referral, Action.ACCEPT)
    referral.refresh_from_db()
    assert referral.received_at == referral.accepted_at


def test_internal_notes_are_never_shown_to_the_other_side(referral, sender, receiver):
    from maillage.referrals.selectors import messages_of

    services.referral_message_post(
        actor=receiver.user,
        organisation=receiver.organisation,
        referral_id=referral.pk,
        body="Note interne : dossier délicat.",
        internal=True,
    )
    services.referral_message_post(
        actor=sender.user,
        organisation=sender.organisation,
        referral_id=referral.pk,
        body="Elle préfère le matin.",
    )
    seen_by_sender = [m.body for m in messages_of(referral, organisation=sender.organisation)]
    seen_by_receiver = [m.body for m in messages_of(referral, organisation=receiver.organisation)]
    assert seen_by_sender == ["Elle préfère le matin."]
    assert seen_by_receiver == ["Note interne : dossier délicat.", "Elle préfère le matin."]


def test_assignment_to_a_colleague_only_on_the_receiving_side(referral, sender, receiver):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=receiver.organisation)
    services.referral_assign(
        actor=receiver.user,
        organisation=receiver.organisation,
        referral_id=referral.pk,
        assignee_id=colleague.user_id,
    )
    referral.refresh_from_db()
    assert referral.assigned_to == colleague.user
    with pytest.raises(Forbidden):
        services.referral_assign(
            actor=sender.user,
            organisation=sender.organisation,
            referral_id=referral.pk,
            assignee_id=sender.user_id,
        )
    with pytest.raises(DomainError, match="membre actif"):
        services.referral_assign(
            actor=receiver.user,
            organisation=receiver.organisation,
            referral_id=referral.pk,
            assignee_id=sender.user_id,
        )
