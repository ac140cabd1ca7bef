"""A published session can be edited; enrolled people get the updated calendar invitation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from maillage.core.errors import Forbidden
from maillage.core.models import AuditEntry
from maillage.training.services import sessions as services
from tests.factories import MembershipFactory
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db


def _event_of(message):
    (content,) = [c for name, c, _ in message.attachments if name.endswith(".ics")]
    calendar = Calendar.from_ical(content)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_moving_a_published_session_sends_the_updated_invitation(
    client, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    host = MembershipFactory(manager=True)
    session = make_session(publisher=host)
    counsellor = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create(actor=counsellor.user, membership=counsellor, session=session)
    run_worker()
    _calendar, first = _event_of(mailoutbox[0])
    mailoutbox.clear()

    event = session.event
    new_start = event.starts_at + timedelta(days=1)
    client.force_login(host.user)
    page = client.get(f"/espace/formations/{session.pk}/")
    assert f"/espace/formations/{session.pk}/modifier/" in page.content.decode()
    form = {
        "title": event.title,
        "theme": session.theme,
        "starts_at": timezone.localtime(new_start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(new_start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Nouvelle salle",
        "address": event.address,
        "online_url": "",
        "capacity": event.capacity,
        "hours": "3",
        "summary": event.summary,
        "description": event.description,
        "objectives": "",
        "speakers": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/espace/formations/{session.pk}/modifier/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_worker()
    assert [m.to for m in mailoutbox] == [[counsellor.user.email]]
    calendar, updated = _event_of(mailoutbox[0])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(updated["UID"]) == str(first["UID"])
    assert int(updated["SEQUENCE"]) > int(first.get("SEQUENCE", 0))
    assert updated.decoded("DTSTART") == new_start
    assert "Nouvelle salle" in str(updated["LOCATION"])
    assert AuditEntry.objects.filter(action="training.session.updated").exists()


def test_training_fields_change_without_an_email(mailoutbox, run_worker):
    host = MembershipFactory(manager=True)
    session = make_session(publisher=host)
    services.session_update(
        actor=host.user, membership=host, session=session, objectives="Mieux orienter", hours=2
    )
    session.refresh_from_db()
    assert session.objectives == "Mieux orienter" and session.hours == 2
    assert session.event.ics_sequence == 0
    run_worker()
    assert mailoutbox == []


def test_only_those_who_run_the_session_edit_it(client):
    session = make_session()
    outsider = MembershipFactory(manager=True)
    with pytest.raises(Forbidden):
        services.session_update(
            actor=outsider.user, membership=outsider, session=session, title="Autre"
        )
    client.force_login(outsider.user)
    assert client.get(f"/espace/formations/{session.pk}/modifier/").status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(f"/espace/formations/{session.pk}/modifier/").status_code == 403
