"""Fixtures of the governance tests: a committee with a secretary and members."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from maillage.governance import services
from tests.governance.factories import CommitteeFactory, SeatFactory


class Committee:
    """A committee with a secretary, two members and an outsider, and helpers to act."""

    def __init__(self):
        self.committee = CommitteeFactory(slug="comite-de-pilotage-test", code="COPIL")
        self.secretary = SeatFactory(committee=self.committee, secretary=True)
        self.member = SeatFactory(committee=self.committee)
        self.guest = SeatFactory(committee=self.committee, guest=True)

    def membership(self, seat):
        return seat.user.memberships.get(organisation=seat.organisation)

    def schedule(self, days=10, title="Réunion de rentrée", **extra):
        starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
        fields = {
            "title": title,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "location": "Saint-Ouen",
            **extra,
        }
        meeting, _ = services.meeting_schedule(
            actor=self.secretary.user,
            membership=self.membership(self.secretary),
            committee=self.committee,
            **fields,
        )
        return meeting

    def as_secretary(self):
        return {"actor": self.secretary.user, "membership": self.membership(self.secretary)}


@pytest.fixture
def gov(db):
    return Committee()


def pytest_collection_modifyitems(config, items):
    """On SQLite, leave out this area's `postgres` tests (CI runs them on PostgreSQL)."""
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    here = str(config.rootpath / "tests" / "governance")
    dropped = [
        item
        for item in items
        if str(item.fspath).startswith(here) and item.get_closest_marker("postgres")
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
