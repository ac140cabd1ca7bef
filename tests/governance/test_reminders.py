"""Reminders before the due date and when overdue, through the real worker, idempotently."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from maillage.governance import services
from maillage.governance.enums import ActionStatus
from maillage.governance.models import ActionReminder
from maillage.governance.reminders import action_reminders_send
from maillage.governance.tasks import governance_daily
from tests.factories import MembershipFactory
from tests.governance.factories import CommitteeFactory, SeatFactory

pytestmark = pytest.mark.django_db

TODAY = date(2030, 3, 11)


@pytest.fixture
def actions(gov):
    owner = gov.member.organisation
    make = lambda title, due, **kw: services.action_create(  # noqa: E731
        **gov.as_secretary(),
        committee=gov.committee,
        title=title,
        owner_organisation=owner,
        due_on=due,
        **kw,
    )
    soon = make("Échéance dans trois jours", TODAY + timedelta(days=3), owner_user=gov.member.user)
    late = make("Déjà en retard", TODAY - timedelta(days=2))
    far = make("Échéance lointaine", TODAY + timedelta(days=60))
    done = make("Terminée en retard", TODAY - timedelta(days=5))
    services.action_update(**gov.as_secretary(), action=done, status=ActionStatus.DONE)
    return {"soon": soon, "late": late, "far": far, "done": done}


def _run_daily(run_worker, capture, today=TODAY):
    """Queue the daily task as `maillage tick` does, run the worker, then send the emails."""
    with capture(execute=True):
        governance_daily.enqueue(today=today.isoformat())
        run_worker()
    run_worker()


def test_reminders_go_out_through_the_worker(
    gov, actions, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    _run_daily(run_worker, django_capture_on_commit_callbacks)
    subjects = sorted((m.subject, tuple(m.to)) for m in mailoutbox)
    assert subjects == sorted(
        [
            ("Action en retard : Déjà en retard", (gov.member.user.email,)),
            ("Action en retard : Déjà en retard", (gov.secretary.user.email,)),
            ("Échéance le 14/03/2030 : Échéance dans trois jours", (gov.member.user.email,)),
        ]
    )
    late_mail = next(m for m in mailoutbox if "retard" in m.subject)
    assert "2 jours de retard" in late_mail.body
    assert f"/gouvernance/actions/{actions['late'].pk}/" in late_mail.body


def test_a_second_run_sends_nothing_more(
    gov, actions, mailoutbox, run_worker, django_capture_on_commit_callbacks
):
    _run_daily(run_worker, django_capture_on_commit_callbacks)
    first = len(mailoutbox)
    _run_daily(run_worker, django_capture_on_commit_callbacks)
    _run_daily(run_worker, django_capture_on_commit_callbacks, today=TODAY + timedelta(days=1))
    assert len(mailoutbox) == first == 3
    assert ActionReminder.objects.count() == 2


def test_a_new_due_date_arms_the_reminders_again(gov, actions):
    assert action_reminders_send(TODAY) == (1, 1)
    services.action_update(
        **gov.as_secretary(),
        action=actions["late"],
        due_on=TODAY + timedelta(days=2),
        note="Report accordé.",
    )
    assert action_reminders_send(TODAY) == (1, 0)
    assert action_reminders_send(TODAY + timedelta(days=3)) == (0, 1)


def test_tick_queues_the_governance_task(db):
    out = io.StringIO()
    from django_tasks_db.models import DBTaskResult

    call_command("tick", stdout=out)
    names = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "maillage.governance.tasks.governance_daily" in names


def test_overdue_lists_group_per_committee_and_per_owner(client, gov, actions):
    other = CommitteeFactory(
        slug="ctr-liste", name="Comité technique", code="CTR", convention=gov.committee.convention
    )
    seat = SeatFactory(committee=other, secretary=True)
    services.action_create(
        actor=seat.user,
        membership=seat.user.memberships.get(),
        committee=other,
        title="Retard technique",
        owner_organisation=seat.organisation,
        due_on=date.today() - timedelta(days=1),
    )
    services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Retard pilotage",
        owner_organisation=gov.member.organisation,
        due_on=date.today() - timedelta(days=3),
    )
    coordinator = MembershipFactory(coordinator=True)
    client.force_login(coordinator.user)
    html = client.get("/gouvernance/actions/?status=overdue").content.decode()
    assert "Retard technique" in html and "Retard pilotage" in html
    assert "Échéance lointaine" not in html
    per_committee = html.split('id="retard-par-comite"')[1].split('id="retard-par-responsable"')[0]
    assert "Comité technique (1)" in per_committee and f"{gov.committee.name} (" in per_committee
    per_owner = html.split('id="retard-par-responsable"')[1]
    assert f"{seat.organisation.name} (1)" in per_owner
    assert f"{gov.member.organisation.name} (" in per_owner
    # The committee page lists only its own.
    html = client.get(f"/gouvernance/comites/{other.slug}/actions/?status=overdue").content.decode()
    assert "Retard technique" in html and "Échéance lointaine" not in html


def test_the_api_filters_open_and_overdue_actions(client, gov, actions):
    out = io.StringIO()
    call_command("token", "create", "--user", gov.member.user.email, stdout=out)
    headers = {"Authorization": f"Bearer {out.getvalue().strip()}"}
    url = f"/api/v1/actions?committee={gov.committee.slug}"
    open_titles = {
        a["title"] for a in client.get(f"{url}&status=open", headers=headers).json()["results"]
    }
    assert open_titles == {"Échéance dans trois jours", "Déjà en retard", "Échéance lointaine"}
    assert "Terminée en retard" not in open_titles
    services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Retard réel",
        owner_organisation=gov.member.organisation,
        due_on=date.today() - timedelta(days=1),
    )
    overdue = client.get(f"{url}&status=overdue", headers=headers).json()["results"]
    expected = {"Retard réel"} | {
        a.title
        for a in (actions["soon"], actions["late"], actions["far"])
        if a.due_on < date.today()
    }
    assert {a["title"] for a in overdue} == expected
    assert all(a["overdue"] for a in overdue)
    everything = client.get(f"{url}&status=all", headers=headers).json()["results"]
    assert "Terminée en retard" in {a["title"] for a in everything}
    response = client.get(f"{url}&status=late", headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
