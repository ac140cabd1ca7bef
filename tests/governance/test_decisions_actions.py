"""Decisions register numbered per committee and year; actions with a timeline of updates."""

from datetime import date, timedelta

import pytest

from maillage.core.errors import DomainError, Forbidden
from maillage.core.models import AuditEntry
from maillage.governance import services
from maillage.governance.enums import ActionStatus, DecisionStatus
from maillage.governance.models import Decision
from tests.governance.factories import CommitteeFactory, SeatFactory

pytestmark = pytest.mark.django_db


def _decide(gov, title, on):
    return services.decision_create(
        **gov.as_secretary(), committee=gov.committee, title=title, decided_on=on
    )


def test_decisions_are_numbered_per_committee_and_year(gov):
    refs = [
        _decide(gov, "Une", date(2019, 3, 1)).reference,
        _decide(gov, "Deux", date(2019, 6, 1)).reference,
        _decide(gov, "Trois", date(2019, 9, 1)).reference,
        _decide(gov, "Quatre", date(2020, 1, 15)).reference,
    ]
    assert refs == ["COPIL-2019-01", "COPIL-2019-02", "COPIL-2019-03", "COPIL-2020-01"]
    technical = CommitteeFactory(slug="ctr-test", code="CTR", convention=gov.committee.convention)
    seat = SeatFactory(committee=technical, secretary=True)
    ctr = services.decision_create(
        actor=seat.user,
        membership=seat.user.memberships.get(),
        committee=technical,
        title="Première",
        decided_on=date(2019, 3, 1),
    )
    assert ctr.reference == "CTR-2019-01"


def test_a_decision_follows_its_transition_table(gov):
    decision = _decide(gov, "Ouvrir aux PRC", date(2019, 5, 1))
    services.decision_set_status(**gov.as_secretary(), decision=decision, status="deferred")
    services.decision_set_status(**gov.as_secretary(), decision=decision, status="adopted")
    with pytest.raises(DomainError, match="adoptée"):
        services.decision_set_status(**gov.as_secretary(), decision=decision, status="rejected")
    assert list(decision.transitions.values_list("from_status", "to_status")) == [
        ("", "proposed"),
        ("proposed", "deferred"),
        ("deferred", "adopted"),
    ]
    assert AuditEntry.objects.filter(action="governance.decision.status_changed").count() == 2


def test_a_decision_is_linked_to_its_meeting_and_agenda_item(client, gov):
    meeting = gov.schedule(days=-1)
    services.meeting_mark_held(**gov.as_secretary(), meeting=meeting)
    item = services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Budget")
    client.force_login(gov.secretary.user)
    response = client.post(
        f"/gouvernance/reunions/{meeting.pk}/decisions/",
        {
            "decision-title": "Voter le budget",
            "decision-status": "adopted",
            "decision-agenda_item": item.pk,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.meeting, decision.agenda_item, decision.status) == (meeting, item, "adopted")
    register = client.get(f"/gouvernance/comites/{gov.committee.slug}/decisions/").content.decode()
    assert decision.reference in register and "Budget" in register


def test_numbering_takes_the_next_free_number_after_a_collision(gov, monkeypatch):
    """If a number was taken without the lock, the unique constraint and one retry recover."""
    _decide(gov, "Une", date(2019, 3, 1))
    from maillage.governance.services import decisions as module

    calls = []
    real = module._next_sequence

    def stale_then_real(committee, year):
        calls.append(year)
        return 1 if len(calls) == 1 else real(committee, year)

    monkeypatch.setattr(module, "_next_sequence", stale_then_real)
    second = _decide(gov, "Deux", date(2019, 4, 1))
    assert second.reference == "COPIL-2019-02" and len(calls) == 2


def _action(gov, **extra):
    fields = {
        "committee": gov.committee,
        "title": "Transmettre les volumes",
        "owner_organisation": gov.member.organisation,
        "due_on": date.today() + timedelta(days=20),
        **extra,
    }
    return services.action_create(**gov.as_secretary(), **fields)


def test_an_action_keeps_a_timeline_of_updates(gov):
    action = _action(gov)
    member = {"actor": gov.member.user, "membership": gov.membership(gov.member)}
    services.action_update(
        **member, action=action, status="in_progress", progress=40, note="Paris reçu."
    )
    services.action_update(**member, action=action, status="done", note="Tout reçu.")
    action.refresh_from_db()
    assert (action.status, action.progress, action.closed_on) == ("done", 100, date.today())
    timeline = list(action.updates.values_list("from_status", "to_status", "progress"))
    assert timeline == [("", "open", 0), ("open", "in_progress", 40), ("in_progress", "done", 100)]


def test_action_updates_are_validated(gov):
    action = _action(gov)
    with pytest.raises(DomainError, match="0 à 100"):
        services.action_update(**gov.as_secretary(), action=action, progress=120)
    with pytest.raises(DomainError, match="Terminée"):
        services.action_update(**gov.as_secretary(), action=action, progress=100)
    with pytest.raises(DomainError, match="Rien n'a changé"):
        services.action_update(**gov.as_secretary(), action=action)
    services.action_update(**gov.as_secretary(), action=action, status=ActionStatus.DROPPED)
    with pytest.raises(DomainError, match="abandonnée"):
        services.action_update(**gov.as_secretary(), action=action, status=ActionStatus.DONE)


def test_only_owners_and_editors_update_an_action(gov):
    action = _action(gov)
    with pytest.raises(Forbidden):
        services.action_update(
            actor=gov.guest.user, membership=gov.membership(gov.guest), action=action, progress=10
        )
    with pytest.raises(Forbidden, match="échéance"):
        services.action_update(
            actor=gov.member.user,
            membership=gov.membership(gov.member),
            action=action,
            due_on=date.today() + timedelta(days=60),
        )


def test_an_action_owner_person_must_belong_to_the_owner_organisation(gov):
    with pytest.raises(DomainError, match="membre de l'organisation"):
        _action(gov, owner_user=gov.guest.user)
    action = _action(gov, owner_user=gov.member.user)
    assert action.owner_user == gov.member.user


def test_the_action_page_updates_progress(client, gov):
    action = _action(gov, decision=_decide(gov, "Tableau de bord", date.today()))
    client.force_login(gov.member.user)
    url = f"/gouvernance/actions/{action.pk}/"
    response = client.post(url, {"status": "in_progress", "progress": 50, "note": "À mi-chemin"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "À mi-chemin" in html and "50 %" in html
    response = client.post(url, {"status": "open", "progress": 150})
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.progress == 50


def test_a_decision_state_in_the_form_must_be_known(gov):
    with pytest.raises(DomainError):
        services.decision_create(
            **gov.as_secretary(), committee=gov.committee, title="X", status="voted"
        )
    assert DecisionStatus.PROPOSED.label == "Proposée"
