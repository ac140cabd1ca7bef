"""Agenda: numbered items and sub-items; a new meeting starts with what is still open."""

from datetime import date, timedelta

import pytest

from maillage.core.errors import DomainError
from maillage.governance import selectors, services
from maillage.governance.enums import ActionStatus, AgendaItemKind, DecisionStatus

pytestmark = pytest.mark.django_db


def _numbers(meeting):
    rows = []
    for item in selectors.agenda_of(meeting):
        rows.append((item.number, item.title))
        rows.extend((child.number, child.title) for child in item.sub_items)
    return rows


def test_items_and_sub_items_are_numbered(gov):
    meeting = gov.schedule()
    budget = services.agenda_item_add(
        **gov.as_secretary(),
        meeting=meeting,
        title="Budget",
        presenter="Région",
        duration_minutes=20,
        document_title="Note budgétaire",
        document_url="https://exemple.fr/budget.pdf",
    )
    services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Évènements")
    services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Recettes", parent=budget)
    services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Dépenses", parent=budget)
    assert _numbers(meeting) == [
        ("1", "Budget"),
        ("1.1", "Recettes"),
        ("1.2", "Dépenses"),
        ("2", "Évènements"),
    ]
    sub = meeting.agenda_items.get(title="Recettes")
    with pytest.raises(DomainError, match="sous-points"):
        services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="X", parent=sub)


def test_items_move_and_are_renumbered_after_a_deletion(gov):
    meeting = gov.schedule()
    a = services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="A")
    services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="B")
    c = services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="C")
    services.agenda_item_move(**gov.as_secretary(), item=c, direction="up")
    assert [t for _, t in _numbers(meeting)] == ["A", "C", "B"]
    services.agenda_item_delete(**gov.as_secretary(), item=a)
    assert _numbers(meeting) == [("1", "C"), ("2", "B")]


def test_an_item_needs_a_title_and_a_sensible_duration(gov):
    meeting = gov.schedule()
    with pytest.raises(DomainError, match="intitulé"):
        services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="  ")
    with pytest.raises(DomainError, match="480"):
        services.agenda_item_add(
            **gov.as_secretary(), meeting=meeting, title="Long", duration_minutes=900
        )


def test_the_next_agenda_starts_with_minutes_open_actions_and_carried_items(gov):
    first = gov.schedule(days=2)
    services.agenda_item_add(**gov.as_secretary(), meeting=first, title="Budget")
    services.agenda_item_add(
        **gov.as_secretary(),
        meeting=first,
        title="Calendrier des évènements",
        carry_over=True,
        presenter="ARML",
        duration_minutes=15,
    )
    decision = services.decision_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Ouvrir aux PRC",
        meeting=first,
        status=DecisionStatus.DEFERRED,
    )
    owner = gov.member.organisation
    late = services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Envoyer les volumes",
        owner_organisation=owner,
        due_on=date.today() - timedelta(days=3),
    )
    running = services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Fiche de liaison",
        owner_organisation=owner,
        due_on=date.today() + timedelta(days=30),
    )
    services.action_update(
        **gov.as_secretary(), action=running, status=ActionStatus.IN_PROGRESS, progress=30
    )
    done = services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Action close",
        owner_organisation=owner,
        due_on=date.today() + timedelta(days=3),
    )
    services.action_update(**gov.as_secretary(), action=done, status=ActionStatus.DONE)

    second = gov.schedule(days=40)
    agenda = selectors.agenda_of(second)
    kinds = [item.kind for item in agenda]
    assert kinds == [
        AgendaItemKind.MINUTES_APPROVAL,
        AgendaItemKind.ACTIONS_REVIEW,
        AgendaItemKind.CARRIED_OVER,
        AgendaItemKind.CARRIED_OVER,
    ]
    assert agenda[0].minutes_meeting == first
    assert [child.action for child in agenda[1].sub_items] == [late, running]
    assert "EN RETARD" in agenda[1].sub_items[0].title
    assert "EN RETARD" not in agenda[1].sub_items[1].title
    assert agenda[2].title == "Calendrier des évènements" and agenda[2].presenter == "ARML"
    assert decision.reference in agenda[3].title


def test_the_first_meeting_of_a_committee_starts_empty(gov):
    meeting = gov.schedule()
    assert selectors.agenda_of(meeting) == []


def test_a_cancelled_meeting_is_not_the_previous_one(gov):
    first = gov.schedule(days=2)
    cancelled = gov.schedule(days=10)
    services.meeting_cancel(**gov.as_secretary(), meeting=cancelled)
    third = gov.schedule(days=20)
    assert selectors.agenda_of(third)[0].minutes_meeting == first


def test_attendance_records_each_status_and_who_represents(gov):
    meeting = gov.schedule()
    services.attendance_record(
        **gov.as_secretary(),
        meeting=meeting,
        entries={
            gov.secretary.pk: ("present", ""),
            gov.member.pk: ("represented", "Alex Suppléant"),
            gov.guest.pk: ("excused", "ignored"),
        },
    )
    rows = {m.pk: r for m, r in selectors.attendance_of(meeting)}
    assert rows[gov.member.pk].represented_by == "Alex Suppléant"
    assert rows[gov.guest.pk].status == "excused" and rows[gov.guest.pk].represented_by == ""
    with pytest.raises(DomainError, match="qui représente"):
        services.attendance_record(
            **gov.as_secretary(), meeting=meeting, entries={gov.member.pk: ("represented", " ")}
        )


def test_attendance_page_keeps_input_on_error(client, gov):
    meeting = gov.schedule()
    client.force_login(gov.secretary.user)
    url = f"/gouvernance/reunions/{meeting.pk}/presences/"
    response = client.post(url, {f"status_{gov.member.pk}": "represented"})
    assert response.status_code == 422
    assert "Indiquez qui représente" in response.content.decode()
    response = client.post(
        url,
        {f"status_{gov.member.pk}": "represented", f"represented_by_{gov.member.pk}": "Sam"},
    )
    assert response.status_code == 302
    assert meeting.attendances.get().represented_by == "Sam"
