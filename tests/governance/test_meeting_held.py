"""Marking a meeting held: a past meeting only, a French page for a future one, and adoption
of decisions only once the meeting is held."""

from html import unescape

import pytest

from maillage.core.errors import DomainError
from maillage.core.models import AuditEntry
from maillage.governance import services
from maillage.governance.enums import MeetingStatus

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


def test_a_future_meetings_held_address_answers_a_french_page_not_a_blank_405(client, gov):
    meeting = gov.schedule(days=10)
    client.force_login(gov.secretary.user)
    response = client.get(f"/gouvernance/reunions/{meeting.pk}/tenue/")
    assert response.status_code == 200
    assert "n'a pas encore eu lieu" in _text(response)
    assert '<button type="submit">Marquer comme tenue</button>' not in _text(response)
    # Posting anyway is refused with the same reason, as a message on the meeting page.
    response = client.post(f"/gouvernance/reunions/{meeting.pk}/tenue/", follow=True)
    assert "n'a pas encore eu lieu" in _text(response)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_the_meeting_page_offers_held_only_once_the_meeting_has_started(client, gov):
    future = gov.schedule(days=10)
    past = gov.schedule(days=-2, title="Réunion passée")
    client.force_login(gov.secretary.user)
    held_url = f"/gouvernance/reunions/{past.pk}/tenue/"
    assert held_url in _text(client.get(past.get_absolute_url()))
    future_page = _text(client.get(future.get_absolute_url()))
    assert f"/gouvernance/reunions/{future.pk}/tenue/" not in future_page
    assert "sera possible à partir du début" in future_page


def test_the_secretary_marks_a_past_meeting_held(client, gov):
    meeting = gov.schedule(days=-1)
    client.force_login(gov.secretary.user)
    confirm = client.get(f"/gouvernance/reunions/{meeting.pk}/tenue/")
    assert confirm.status_code == 200 and "Marquer comme tenue" in _text(confirm)
    response = client.post(f"/gouvernance/reunions/{meeting.pk}/tenue/")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert list(meeting.transitions.values_list("from_status", "to_status")) == [
        ("", "scheduled"),
        ("scheduled", "held"),
    ]
    assert AuditEntry.objects.filter(action="governance.meeting.held").count() == 1
    # Held is final: the page now says so.
    again = _text(client.get(f"/gouvernance/reunions/{meeting.pk}/tenue/"))
    assert "ne peut plus être marquée comme tenue" in again


def test_a_member_cannot_mark_a_meeting_held(client, gov):
    meeting = gov.schedule(days=-1)
    client.force_login(gov.member.user)
    assert client.post(f"/gouvernance/reunions/{meeting.pk}/tenue/").status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_decision_is_adopted_only_once_its_meeting_is_held(gov):
    meeting = gov.schedule(days=-1)
    with pytest.raises(DomainError, match="qu'une fois sa réunion tenue"):
        services.decision_create(
            **gov.as_secretary(),
            committee=gov.committee,
            meeting=meeting,
            title="Budget",
            status="adopted",
        )
    decision = services.decision_create(
        **gov.as_secretary(), committee=gov.committee, meeting=meeting, title="Budget"
    )
    with pytest.raises(DomainError, match="qu'une fois sa réunion tenue"):
        services.decision_set_status(**gov.as_secretary(), decision=decision, status="adopted")
    services.meeting_mark_held(**gov.as_secretary(), meeting=meeting)
    decision = services.decision_set_status(
        **gov.as_secretary(), decision=decision, status="adopted"
    )
    assert decision.status == "adopted"


def test_the_decision_page_refuses_adoption_in_french_before_the_meeting(client, gov):
    meeting = gov.schedule(days=3)
    decision = services.decision_create(
        **gov.as_secretary(), committee=gov.committee, meeting=meeting, title="Budget"
    )
    client.force_login(gov.secretary.user)
    response = client.post(decision.get_absolute_url(), {"status": "adopted"})
    assert "qu'une fois sa réunion tenue" in _text(response)
    decision.refresh_from_db()
    assert decision.status == "proposed"


def test_a_get_on_a_post_only_address_is_the_french_405_page(client, gov):
    meeting = gov.schedule()
    item = services.agenda_item_add(**gov.as_secretary(), meeting=meeting, title="Budget")
    client.force_login(gov.secretary.user)
    response = client.get(f"/gouvernance/points/{item.pk}/deplacer/")
    assert response.status_code == 405
    assert "Cette action n'est pas possible à cette adresse" in _text(response)
