"""Personal data is erased N months after the event (counts stay); members-only sessions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.core.errors import DomainError, Forbidden
from maillage.events import services
from maillage.events.enums import Audience
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Event, Registration
from maillage.events.tasks import personal_data_purge
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_personal_data_is_erased_after_the_retention_period_and_counts_stay(settings, client):
    settings.MAILLAGE_EVENT_RETENTION_MONTHS = 12
    old = EventFactory(past=True)
    Event.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=400), ends_at=timezone.now() - timedelta(days=399)
    )
    recent = EventFactory(past=True)
    RegistrationFactory(event=old, status=RS.ATTENDED, phone="0102030405", survey_rating=5)
    RegistrationFactory(event=old, status=RS.NO_SHOW)
    kept = RegistrationFactory(event=recent, status=RS.ATTENDED)

    assert personal_data_purge() == 2
    assert personal_data_purge() == 0  # idempotent
    rows = Registration.objects.filter(event=old)
    assert sorted(rows.values_list("status", flat=True)) == [RS.ATTENDED, RS.NO_SHOW]
    assert set(rows.values_list("email", "first_name", "last_name", "phone")) == {("", "", "", "")}
    assert rows.get(status=RS.ATTENDED).survey_rating == 5
    kept.refresh_from_db()
    assert kept.email and kept.anonymised_at is None


def test_members_only_events_need_a_signed_in_member_and_count_per_operator_quotas():
    lead = MembershipFactory(manager=True)
    operator = OrganisationFactory()
    member = MembershipFactory(organisation=operator)
    other = MembershipFactory()
    event = EventFactory(audience=Audience.MEMBERS, capacity=2, lead_organisation=lead.organisation)
    services.quota_set(actor=lead.user, event=event, organisation=operator, seats=1)
    with pytest.raises(Forbidden):
        services.registration_create(
            event=event, first_name="A", last_name="B", email="a@exemple.fr"
        )
    mine, _ = services.registration_create(
        event=event,
        first_name="C",
        last_name="D",
        email=member.user.email,
        user=member.user,
        sent_by_organisation=operator,
    )
    theirs, _ = services.registration_create(
        event=event,
        first_name="E",
        last_name="F",
        email=other.user.email,
        user=other.user,
        sent_by_organisation=other.organisation,
    )
    third = MembershipFactory()
    late, _ = services.registration_create(
        event=event,
        first_name="G",
        last_name="H",
        email=third.user.email,
        user=third.user,
        sent_by_organisation=third.organisation,
    )
    assert (mine.status, theirs.status, late.status) == (RS.CONFIRMED, RS.CONFIRMED, RS.WAITLISTED)
    again, created = services.registration_create(
        event=event, first_name="C", last_name="D", email="autre@exemple.fr", user=member.user
    )
    assert (again.pk, created) == (mine.pk, False)


def test_quota_cannot_exceed_the_capacity():
    lead = MembershipFactory(manager=True)
    event = EventFactory(capacity=3, lead_organisation=lead.organisation)
    with pytest.raises(DomainError, match="dépasseraient"):
        services.quota_set(
            actor=lead.user, event=event, organisation=OrganisationFactory(), seats=4
        )


def test_raising_the_capacity_offers_the_new_seats_to_people_waiting():
    lead = MembershipFactory(manager=True)
    event = EventFactory(capacity=1, lead_organisation=lead.organisation)
    for name in ("anna", "bilal", "chen"):
        services.registration_create(
            event=event, first_name=name, last_name="T", email=f"{name}@exemple.fr"
        )
    services.event_update(actor=lead.user, event=event, capacity=2)
    assert list(event.registrations.order_by("pk").values_list("status", flat=True)) == [
        RS.CONFIRMED,
        RS.OFFERED,
        RS.WAITLISTED,
    ]


def test_each_operator_records_its_own_contribution_only_the_lead_adds_co_organisers():
    lead = MembershipFactory(manager=True)
    co_manager = MembershipFactory(manager=True)
    event = EventFactory(lead_organisation=lead.organisation)
    services.organiser_set(actor=lead.user, event=event, organisation=co_manager.organisation)
    row = services.organiser_set(
        actor=co_manager.user,
        event=event,
        organisation=co_manager.organisation,
        counsellors=3,
        hours=12,
        stand=True,
        material="Kakémono",
    )
    assert (row.counsellors, row.hours, row.stand, row.is_lead) == (3, 12, True, False)
    with pytest.raises(Forbidden):
        services.organiser_set(
            actor=co_manager.user, event=event, organisation=OrganisationFactory()
        )
    with pytest.raises(Forbidden):
        services.organiser_set(
            actor=co_manager.user, event=event, organisation=lead.organisation, counsellors=9
        )
    with pytest.raises(Forbidden):
        services.organiser_set(
            actor=MembershipFactory(manager=True).user, event=event, organisation=lead.organisation
        )
