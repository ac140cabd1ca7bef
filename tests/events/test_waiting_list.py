"""The waiting list: a freed seat becomes one time-boxed offer that passes on when unanswered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.core.errors import Conflict, DomainError
from maillage.events import services
from maillage.events.enums import CancelReason, EventStatus
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Registration, RegistrationTransition
from maillage.events.tasks import offers_expire_task
from tests.events.factories import EventFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _status(registration):
    registration.refresh_from_db()
    return registration.status


def test_seats_fill_then_people_wait_with_their_position(register):
    event = EventFactory(capacity=2)
    a, b, c, d = (register(event, n) for n in ("anna", "bilal", "chen", "dora"))
    assert [a.status, b.status, c.status, d.status] == [RS.CONFIRMED] * 2 + [RS.WAITLISTED] * 2
    assert services.waitlist_position(c) == 1
    assert services.waitlist_position(d) == 2
    assert services.seats_left(event) == 0


def test_cancelling_a_seat_offers_it_to_exactly_one_person_then_expiry_passes_it_on(
    register, django_capture_on_commit_callbacks, mailoutbox, work
):
    event = EventFactory(capacity=1, offer_hours=48)
    first = register(event, "anna")
    waiting_1 = register(event, "bilal")
    waiting_2 = register(event, "chen")

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    assert _status(first) == RS.CANCELLED
    assert Registration.objects.filter(event=event, status=RS.OFFERED).count() == 1
    assert _status(waiting_1) == RS.OFFERED
    assert _status(waiting_2) == RS.WAITLISTED
    deadline = waiting_1.offer_expires_at
    assert timedelta(hours=47) < deadline - timezone.now() <= timedelta(hours=48)

    # Nothing is due yet: running the job changes nothing (idempotent).
    assert services.offers_expire_due() == 0
    assert _status(waiting_1) == RS.OFFERED

    Registration.objects.filter(pk=waiting_1.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        offers_expire_task.enqueue()
    work()
    assert _status(waiting_1) == RS.CANCELLED
    assert waiting_1.cancel_reason == CancelReason.OFFER_EXPIRED
    assert _status(waiting_2) == RS.OFFERED
    assert Registration.objects.filter(event=event, status=RS.OFFERED).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.offer_confirm(registration=waiting_2)
    assert confirmed.status == RS.CONFIRMED
    assert Registration.objects.filter(event=event, status=RS.CONFIRMED).count() == 1
    work()
    assert [m.to for m in mailoutbox if m.subject.startswith("Place non confirmée")] == [
        ["bilal@exemple.fr"]
    ]
    assert [m.to for m in mailoutbox if m.subject.startswith("Une place s'est libérée")] == [
        ["bilal@exemple.fr"],
        ["chen@exemple.fr"],
    ]
    log = list(
        RegistrationTransition.objects.filter(registration=waiting_2).values_list(
            "from_status", "to_status"
        )
    )
    assert log == [("", RS.WAITLISTED), (RS.WAITLISTED, RS.OFFERED), (RS.OFFERED, RS.CONFIRMED)]


def test_running_the_expiry_twice_expires_once(register):
    event = EventFactory(capacity=1)
    first = register(event, "anna")
    waiting = register(event, "bilal")
    register(event, "chen")
    services.registration_cancel(registration=first)
    Registration.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.offer_expire(registration_id=waiting.pk) is True
    assert services.offer_expire(registration_id=waiting.pk) is False
    assert Registration.objects.filter(event=event, status=RS.OFFERED).count() == 1


def test_confirming_an_overdue_offer_passes_it_on_instead(register):
    event = EventFactory(capacity=1)
    first = register(event, "anna")
    late = register(event, "bilal")
    next_one = register(event, "chen")
    services.registration_cancel(registration=first)
    Registration.objects.filter(pk=late.pk).update(
        offer_expires_at=timezone.now() - timedelta(seconds=1)
    )
    late.refresh_from_db()
    assert services.offer_confirm(registration=late).status == RS.CANCELLED
    assert _status(next_one) == RS.OFFERED


def test_cancelling_twice_is_harmless_and_frees_one_seat(register):
    event = EventFactory(capacity=1)
    first = register(event, "anna")
    register(event, "bilal")
    register(event, "chen")
    services.registration_cancel(registration=first)
    services.registration_cancel(registration=first)
    assert Registration.objects.filter(event=event, status=RS.OFFERED).count() == 1


def test_same_email_twice_gets_the_existing_registration_not_a_second_seat(register):
    event = EventFactory(capacity=5)
    first = register(event, "anna")
    again, created = services.registration_create(
        event=event, first_name="Anna", last_name="Autre", email="ANNA@exemple.fr "
    )
    assert created is False
    assert again.pk == first.pk
    assert Registration.objects.filter(event=event).count() == 1
    assert services.seats_left(event) == 4


def test_registering_again_after_cancelling_reopens_the_same_row(register):
    event = EventFactory(capacity=5)
    first = register(event, "anna")
    services.registration_cancel(registration=first)
    again = register(event, "anna")
    assert again.pk == first.pk
    assert again.status == RS.CONFIRMED


def test_closed_or_cancelled_events_refuse_registrations(register):
    closed = EventFactory(status=EventStatus.REGISTRATION_CLOSED)
    with pytest.raises(Conflict, match="closes"):
        register(closed, "anna")
    cancelled = EventFactory(status=EventStatus.CANCELLED)
    with pytest.raises(Conflict, match="annulé"):
        register(cancelled, "anna")
    window = EventFactory(
        registration_closes_at=timezone.now() - timedelta(hours=1),
        registration_opens_at=timezone.now() - timedelta(days=3),
    )
    with pytest.raises(Conflict):
        register(window, "anna")


def test_required_answers_and_a_valid_email_are_checked():
    event = EventFactory(questions=[{"key": "metier", "label": "Votre métier", "required": True}])
    with pytest.raises(DomainError) as error:
        services.registration_create(
            event=event, first_name="A", last_name="B", email="a@exemple.fr", answers={}
        )
    assert error.value.field == "answers.metier"
    with pytest.raises(DomainError) as error:
        services.registration_create(
            event=event,
            first_name="A",
            last_name="B",
            email="pas-une-adresse",
            answers={"metier": "x"},
        )
    assert error.value.field == "email"


def test_seats_reserved_for_an_operator_go_to_the_people_it_sends(register):
    sender = OrganisationFactory()
    event = EventFactory(capacity=3)
    event.quotas.create(organisation=sender, seats=1)
    public = [register(event, n) for n in ("anna", "bilal", "chen")]
    assert [r.status for r in public] == [RS.CONFIRMED, RS.CONFIRMED, RS.WAITLISTED]
    sent = register(event, "dora", sent_by_organisation=sender)
    assert sent.status == RS.CONFIRMED
    assert sent.sent_by_organisation == sender
    assert services.seats_left(event) == 0


def test_event_cancellation_cancels_every_registration_and_tells_them(
    register, manager, django_capture_on_commit_callbacks, mailoutbox, work
):
    event = EventFactory(capacity=1, lead_organisation=manager.organisation)
    register(event, "anna")
    register(event, "bilal")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_transition(
            actor=manager.user, event=event, to_status=EventStatus.CANCELLED, message="Grève."
        )
    assert set(event.registrations.values_list("status", flat=True)) == {RS.CANCELLED}
    assert not event.registrations.filter(status=RS.OFFERED).exists()
    work()
    told = [m for m in mailoutbox if m.subject.startswith("Évènement annulé")]
    assert sorted(m.to[0] for m in told) == ["anna@exemple.fr", "bilal@exemple.fr"]
    assert "Grève." in told[0].body
