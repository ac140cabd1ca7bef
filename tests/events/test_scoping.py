"""Registrations (names, emails, phones of the public and of counsellors) are scoped: an
organisation reads those of the events it organises, those it sent and its own members'; the
seat counts everyone sees are counted over all of them."""

import pytest
from django.test import Client

from maillage.core.scoping import ScopeError, scope
from maillage.events.enums import RegistrationStatus
from maillage.events.models import EventOrganiser, Registration
from maillage.events.seats import seats_for
from maillage.events.services import waitlist_position
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def event():
    return EventFactory(capacity=3)


def test_an_unscoped_query_of_registrations_raises(event):
    RegistrationFactory(event=event)
    with pytest.raises(ScopeError):
        list(Registration.objects.all())
    with pytest.raises(ScopeError):
        event.registrations.count()


def test_each_organisation_reads_only_the_registrations_it_has_a_part_in(event):
    co_organiser, sender, member_org, stranger = OrganisationFactory.create_batch(4)
    EventOrganiser.objects.create(event=event, organisation=co_organiser)
    public = RegistrationFactory(event=event)
    sent = RegistrationFactory(event=event, sent_by_organisation=sender)
    counsellor = MembershipFactory(organisation=member_org)
    enrolled = RegistrationFactory(event=event, user=counsellor.user)
    everyone = {public.pk, sent.pk, enrolled.pk}

    def readable(organisation):
        with scope(organisation=organisation):
            return set(Registration.objects.values_list("pk", flat=True))

    assert readable(event.lead_organisation) == everyone
    assert readable(co_organiser) == everyone
    assert readable(sender) == {sent.pk}
    assert readable(member_org) == {enrolled.pk}
    assert readable(stranger) == set()


def test_seat_counts_and_waiting_places_count_everyone_whoever_reads(event):
    sender = OrganisationFactory()
    for _ in range(3):
        RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event,
        status=RegistrationStatus.WAITLISTED,
        confirmed_at=None,
        sent_by_organisation=sender,
    )
    waiting.waitlisted_at = waiting.created_at
    waiting.save(update_fields=["waitlisted_at"])
    with scope(organisation=sender):
        assert seats_for(event).left() == 0
        assert waitlist_position(waiting) == 1
    with scope(organisation=OrganisationFactory()):
        assert seats_for(event).left() == 0


def test_the_public_event_page_counts_seats_without_reading_anyone(event):
    for _ in range(3):
        RegistrationFactory(event=event)
    page = Client().get(event.get_absolute_url())
    assert page.status_code == 200
    assert "Complet" in page.content.decode()
