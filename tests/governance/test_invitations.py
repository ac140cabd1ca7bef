"""Meeting invitations: the .ics parses back with a stable UID, a rising SEQUENCE, the METHOD."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from maillage.core.errors import DomainError
from maillage.core.models import AuditEntry
from maillage.governance import services
from maillage.governance.enums import MeetingStatus

pytestmark = pytest.mark.django_db


def _calendars(mailoutbox):
    """Each email's .ics attachment parsed back, with the recipient."""
    result = []
    for message in mailoutbox:
        ((filename, content, mimetype),) = message.attachments
        calendar = Calendar.from_ical(content)
        assert filename.endswith(".ics")
        assert mimetype == f"text/calendar; method={calendar['METHOD']}"
        result.append((message.to[0], calendar))
    return result


def _event(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_scheduling_emails_each_member_an_ics_request(
    gov, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = gov.schedule(title="Bilan du premier semestre")
    assert mailoutbox == []  # the worker sends, not the request
    run_worker()
    calendars = _calendars(mailoutbox)
    recipients = sorted(to for to, _ in calendars)
    assert recipients == sorted(s.user.email for s in (gov.secretary, gov.member, gov.guest))
    for _, calendar in calendars:
        assert calendar["METHOD"] == "REQUEST"
        event = _event(calendar)
        assert str(event["UID"]) == f"{meeting.ics_uid}@maillage"
        assert event["SEQUENCE"] == 0
        assert event["STATUS"] == "CONFIRMED"
        assert event.decoded("DTSTART") == meeting.starts_at
        assert "Bilan du premier semestre" in str(event["SUMMARY"])
        attendees = {str(a).removeprefix("mailto:") for a in event["ATTENDEE"]}
        assert gov.member.user.email in attendees
    assert mailoutbox[0].subject.startswith("Invitation :")


def test_an_update_keeps_the_uid_and_raises_the_sequence(
    gov, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = gov.schedule()
        new_start = meeting.starts_at + timedelta(days=1)
        services.meeting_update(
            **gov.as_secretary(),
            meeting=meeting,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=3),
        )
    run_worker()
    calendars = _calendars(mailoutbox)
    updates = [c for to, c in calendars if _event(c)["SEQUENCE"] == 1]
    assert len(updates) == 3
    event = _event(updates[0])
    assert str(event["UID"]) == f"{meeting.ics_uid}@maillage"
    assert updates[0]["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == new_start
    assert any(m.subject.startswith("Modification :") for m in mailoutbox)


def test_an_update_without_change_sends_nothing(
    gov, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    meeting = gov.schedule()
    run_worker()
    mailoutbox.clear()  # the invitations of the scheduling itself
    with django_capture_on_commit_callbacks(execute=True):
        _, changed = services.meeting_update(
            **gov.as_secretary(), meeting=meeting, title=meeting.title, location=meeting.location
        )
    run_worker()
    assert changed is False and mailoutbox == []
    meeting.refresh_from_db()
    assert meeting.ics_sequence == 0


def test_a_cancellation_sends_method_cancel_with_the_same_uid(
    gov, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = gov.schedule()
        services.meeting_update(**gov.as_secretary(), meeting=meeting, location="Paris 13e")
        services.meeting_cancel(**gov.as_secretary(), meeting=meeting, reason="Grève")
    run_worker()
    calendars = _calendars(mailoutbox)
    cancels = [c for _, c in calendars if c["METHOD"] == "CANCEL"]
    assert len(cancels) == 3
    event = _event(cancels[0])
    assert str(event["UID"]) == f"{meeting.ics_uid}@maillage"
    assert event["SEQUENCE"] == 2
    assert event["STATUS"] == "CANCELLED"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert AuditEntry.objects.filter(action="governance.meeting.cancelled").count() == 1
    assert list(meeting.transitions.values_list("to_status", flat=True)) == [
        "scheduled",
        "cancelled",
    ]


def test_a_cancelled_meeting_cannot_be_cancelled_or_updated_again(gov):
    meeting = gov.schedule()
    services.meeting_cancel(**gov.as_secretary(), meeting=meeting)
    with pytest.raises(DomainError, match="ne peut pas passer"):
        services.meeting_cancel(**gov.as_secretary(), meeting=meeting)
    with pytest.raises(DomainError, match="annulée"):
        services.meeting_update(**gov.as_secretary(), meeting=meeting, title="Autre")


def test_the_download_gives_the_current_state_of_the_invitation(gov, client):
    meeting = gov.schedule()
    client.force_login(gov.member.user)
    response = client.get(f"/gouvernance/reunions/{meeting.pk}/invitation.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "REQUEST" and _event(calendar)["SEQUENCE"] == 0
    services.meeting_cancel(**gov.as_secretary(), meeting=meeting)
    calendar = Calendar.from_ical(
        client.get(f"/gouvernance/reunions/{meeting.pk}/invitation.ics").content
    )
    assert calendar["METHOD"] == "CANCEL" and _event(calendar)["SEQUENCE"] == 1


def test_a_member_who_is_not_secretary_cannot_schedule(gov):
    with pytest.raises(DomainError, match="secrétariat"):
        services.meeting_schedule(
            actor=gov.member.user,
            membership=gov.membership(gov.member),
            committee=gov.committee,
            title="x",
            starts_at=None,
            ends_at=None,
        )


def test_scheduling_refuses_an_end_before_the_start_in_french(gov, client):
    client.force_login(gov.secretary.user)
    response = client.post(
        f"/gouvernance/comites/{gov.committee.slug}/reunions/nouvelle/",
        {
            "title": "Réunion",
            "starts_at": "2030-03-10T14:00",
            "ends_at": "2030-03-10T10:00",
            "location": "Paris",
        },
    )
    assert response.status_code == 200
    assert "La fin de la réunion doit suivre son début." in response.content.decode()
