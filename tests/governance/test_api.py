"""API for members: committees, meetings with agenda/attendance/decisions, the invitation."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from icalendar import Calendar

from maillage.governance import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(gov):
    out = io.StringIO()
    call_command("token", "create", "--user", gov.member.user.email, stdout=out)
    return {"Authorization": f"Bearer {out.getvalue().strip()}"}


def test_a_meeting_comes_with_agenda_attendance_decisions_and_minutes(client, gov, headers):
    # Held yesterday: a decision is adopted only at a meeting that took place.
    meeting = gov.schedule(days=-1, title="Séance plénière")
    services.meeting_mark_held(**gov.as_secretary(), meeting=meeting)
    budget = services.agenda_item_add(
        **gov.as_secretary(),
        meeting=meeting,
        title="Budget",
        presenter="Région",
        duration_minutes=30,
    )
    services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Recettes", parent=budget)
    services.attendance_record(
        **gov.as_secretary(), meeting=meeting, entries={gov.member.pk: ("excused", "")}
    )
    decision = services.decision_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Voter le budget",
        meeting=meeting,
        agenda_item=budget,
        status="adopted",
    )
    services.minutes_save(**gov.as_secretary(), meeting=meeting, text="Relevé.", base_revision=0)
    body = client.get(f"/api/v1/meetings/{meeting.pk}", headers=headers).json()
    assert body["title"] == "Séance plénière" and body["committee"] == gov.committee.slug
    assert body["agenda"][0]["number"] == "1" and body["agenda"][0]["presenter"] == "Région"
    assert body["agenda"][0]["sub_items"][0]["number"] == "1.1"
    excused = [a for a in body["attendance"] if a["status"] == "excused"]
    assert len(excused) == 1 and excused[0]["organisation"] == gov.member.organisation.name
    assert body["decisions"] == [
        {
            "id": decision.pk,
            "reference": decision.reference,
            "title": "Voter le budget",
            "status": "adopted",
            "decided_on": decision.decided_on.isoformat(),
            "agenda_item": "Budget",
        }
    ]
    assert body["minutes"]["revision"] == 1 and body["minutes"]["status"] == "draft"


def test_committee_meetings_and_the_invitation(client, gov, headers):
    meeting = gov.schedule()
    listed = client.get(f"/api/v1/committees/{gov.committee.slug}/meetings", headers=headers)
    assert [m["id"] for m in listed.json()["results"]] == [meeting.pk]
    response = client.get(f"/api/v1/meetings/{meeting.pk}/invitation.ics", headers=headers)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == meeting.calendar_uid


def test_an_unknown_committee_filter_is_404(client, gov, headers):
    assert client.get("/api/v1/actions?committee=inconnu", headers=headers).status_code == 404


def test_actions_are_listed_with_their_owner_and_decision(client, gov, headers):
    decision = services.decision_create(
        **gov.as_secretary(), committee=gov.committee, title="Tableau de bord"
    )
    services.action_create(
        **gov.as_secretary(),
        committee=gov.committee,
        title="Consolider",
        owner_organisation=gov.member.organisation,
        owner_user=gov.member.user,
        due_on=date.today() + timedelta(days=3),
        decision=decision,
    )
    (action,) = client.get("/api/v1/actions", headers=headers).json()["results"]
    assert action["owner_organisation"]["slug"] == gov.member.organisation.slug
    assert action["owner_person"] == str(gov.member.user)
    assert action["decision"] == decision.reference and action["overdue"] is False


def test_the_schema_documents_the_governance_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/committees",
        "/api/v1/committees/{slug}/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/invitation.ics",
        "/api/v1/actions",
    ):
        assert "get" in paths[path], path
