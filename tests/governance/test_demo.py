"""The demo data: both committees seeded, meetings, decisions, actions in every state."""

import pytest
from django.core.management import call_command

from maillage.governance.enums import ActionStatus, AgendaItemKind, MeetingStatus, MemberRole
from maillage.governance.models import Action, Committee, Decision, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(reference):
    call_command("demo", "--no-serve", verbosity=0)


def test_both_committees_have_their_members_and_roles(demo):
    for slug in ("comite-de-pilotage", "comite-technique-regional"):
        committee = Committee.objects.get(slug=slug)
        seats = committee.members.select_related("organisation", "user")
        organisations = {s.organisation.slug for s in seats}
        assert {"afdas", "cheops-idf", "region-idf", "defi-metiers"} <= organisations
        assert len({s.organisation.slug for s in seats if s.role == MemberRole.MEMBER}) == 8
        secretary = seats.get(role=MemberRole.SECRETARY)
        assert secretary.user.email == "coordination@region-idf.demo"
        assert seats.filter(role=MemberRole.CHAIR).count() == 1


def test_the_demo_shows_the_whole_loop(demo):
    statuses = set(Action.objects.values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    assert Action.objects.overdue().count() == 1
    assert Decision.objects.filter(reference__startswith="COPIL-").count() >= 3
    approved = Meeting.objects.filter(minutes__status="approved")
    assert approved.filter(committee__slug="comite-de-pilotage").exists()
    upcoming = Meeting.objects.get(
        committee__slug="comite-de-pilotage", status=MeetingStatus.SCHEDULED
    )
    kinds = list(
        upcoming.agenda_items.filter(parent__isnull=True)
        .order_by("position")
        .values_list("kind", flat=True)
    )
    assert kinds[:3] == [
        AgendaItemKind.MINUTES_APPROVAL,
        AgendaItemKind.ACTIONS_REVIEW,
        AgendaItemKind.CARRIED_OVER,
    ]


def test_the_demo_is_idempotent(demo):
    counts = (Meeting.objects.count(), Decision.objects.count(), Action.objects.count())
    call_command("demo", "--no-serve", verbosity=0)
    assert (Meeting.objects.count(), Decision.objects.count(), Action.objects.count()) == counts
