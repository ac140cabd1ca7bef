"""Demo events: one of each situation a visitor should see, co-organised, built idempotently."""

import pytest

from maillage.events import demo, services
from maillage.events.enums import EventStatus
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Event


@pytest.mark.django_db
def test_demo_events_cover_each_situation_and_build_twice_without_duplicates(reference):
    demo.build()
    demo.build()
    events = {e.status: e for e in Event.objects.filter(is_demo=True)}
    assert Event.objects.filter(is_demo=True).count() == 5
    held = events[EventStatus.HELD]
    assert held.registrations.filter(status=RS.ATTENDED).count() == 24
    assert held.organisers.count() == 3
    full = Event.objects.get(is_demo=True, title__startswith="Job dating")
    assert services.seats_left(full) == 0
    assert full.registrations.filter(status=RS.OFFERED).count() == 1
    assert full.registrations.filter(status=RS.WAITLISTED).count() == 3
    assert {EventStatus.DRAFT, EventStatus.CANCELLED} <= set(events)
