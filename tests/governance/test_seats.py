"""Committee seats managed in the app by the coordination: list, add, change, end, audited."""

from datetime import date
from html import unescape

import pytest

from maillage.core.errors import DomainError, Forbidden
from maillage.core.models import AuditEntry
from maillage.governance import services
from maillage.governance.models import CommitteeMember
from tests.factories import MembershipFactory
from tests.governance.factories import SignatoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return MembershipFactory(coordinator=True)


@pytest.fixture
def party(gov):
    """An operator party to the committee's convention, with one active counsellor."""
    counsellor = MembershipFactory()
    SignatoryFactory(convention=gov.committee.convention, organisation=counsellor.organisation)
    return counsellor


def _url(gov):
    return f"/gouvernance/comites/{gov.committee.slug}/sieges/"


def test_the_coordinator_adds_a_seat_from_the_page(client, gov, coordinator, party):
    client.force_login(coordinator.user)
    page = unescape(client.get(_url(gov)).content.decode())
    assert gov.secretary.user.get_full_name() in page or str(gov.secretary.user) in page
    response = client.post(
        _url(gov),
        {
            "email": party.user.email.upper(),
            "organisation": party.organisation.pk,
            "role": "member",
            "started_on": "2020-01-15",
        },
    )
    assert response.status_code == 302
    seat = CommitteeMember.objects.get(user=party.user)
    assert (seat.organisation, seat.role, seat.started_on) == (
        party.organisation,
        "member",
        date(2020, 1, 15),
    )
    entry = AuditEntry.objects.get(action="governance.seat.added")
    assert entry.actor == coordinator.user and entry.data["committee"] == gov.committee.slug


def test_a_person_outside_the_organisation_cannot_take_its_seat(gov, coordinator, party):
    stranger = MembershipFactory()
    with pytest.raises(DomainError, match="membre de l'organisation"):
        services.seat_add(
            actor=coordinator.user,
            membership=coordinator,
            committee=gov.committee,
            email=stranger.user.email,
            organisation=party.organisation,
            role="member",
            started_on=date(2020, 1, 1),
        )


def test_a_seat_is_changed_then_ended_and_both_are_audited(client, gov, coordinator):
    seat = gov.member
    SignatoryFactory(convention=gov.committee.convention, organisation=seat.organisation)
    client.force_login(coordinator.user)
    response = client.post(
        f"/gouvernance/sieges/{seat.pk}/",
        {
            "organisation": seat.organisation.pk,
            "role": "chair",
            "started_on": seat.started_on.isoformat(),
            "ended_on": "",
        },
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.role == "chair"
    changed = AuditEntry.objects.get(action="governance.seat.changed")
    assert changed.data["before"]["role"] == "member" and changed.data["after"]["role"] == "chair"
    response = client.post(f"/gouvernance/sieges/{seat.pk}/fin/", {"ended_on": "2021-06-30"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ended_on == date(2021, 6, 30)
    assert AuditEntry.objects.filter(action="governance.seat.ended").count() == 1
    # An ended seat no longer counts among the current members (invitations, access).
    assert not CommitteeMember.objects.current().filter(pk=seat.pk).exists()
    with pytest.raises(DomainError, match="déjà terminé"):
        services.seat_end(
            actor=coordinator.user, membership=coordinator, seat=seat, ended_on=date(2022, 1, 1)
        )


def test_only_the_coordination_manages_seats(client, gov):
    client.force_login(gov.secretary.user)
    assert client.get(_url(gov)).status_code == 403
    assert client.post(f"/gouvernance/sieges/{gov.member.pk}/fin/", {}).status_code == 403
    with pytest.raises(Forbidden):
        services.seat_end(**gov.as_secretary(), seat=gov.member)
    gov.member.refresh_from_db()
    assert gov.member.ended_on is None


def test_the_committee_page_links_the_seats_for_the_coordination_only(client, gov, coordinator):
    committee_url = gov.committee.get_absolute_url()
    client.force_login(coordinator.user)
    assert _url(gov) in client.get(committee_url).content.decode()
    client.force_login(gov.secretary.user)
    assert _url(gov) not in client.get(committee_url).content.decode()
