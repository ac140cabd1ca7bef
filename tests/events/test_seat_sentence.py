"""What the public page says about seats is what the registration service then does.

The property test draws capacities, reservations per operator, earlier registrations and
cancellations, reads the sentence on the public page, then registers people one after the other
(rolled back each time) and compares: as many confirmed in a row as the page announced, for a
person coming on their own and for a person referred by each operator.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.core.errors import Conflict
from maillage.events import services
from maillage.events.enums import EventStatus, RegistrationStatus
from maillage.events.models import SeatQuota
from maillage.events.seats import seats_for
from tests.events.factories import EventFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PUBLIC = re.compile(r"^(\d+) places? ouvertes? au public")
RESERVED = re.compile(r"(\d+) (?:place )?réservées? aux personnes orientées par ([^,.]+)")


def _sentence(client, event):
    page = client.get(event.get_absolute_url()).content.decode()
    found = re.search(r'<p id="places">(.*?)</p>', page, re.S)
    assert found, "the public page has no seat sentence"
    return found.group(1).replace("&#x27;", "'").strip()


def _read(sentence):
    """(public seats, {operator name: reserved seats}) as the sentence states them."""
    public = PUBLIC.match(sentence)
    if public is None:
        assert sentence.startswith("Complet pour le public"), sentence
    reserved = {name.strip(): int(n) for n, name in RESERVED.findall(sentence)}
    return (int(public.group(1)) if public else 0), reserved


def _register(event, sent_by=None, status=None):
    registration, _ = services.registration_create(
        event=event,
        first_name="Essai",
        last_name="Place",
        email=f"{uuid.uuid4().hex[:12]}@exemple.fr",
        sent_by_organisation=sent_by,
    )
    return registration


def _confirmed_in_a_row(event, sent_by=None):
    """How many people in a row the service confirms before the first is waitlisted."""
    confirmed = 0
    with transaction.atomic():
        for _ in range(event.capacity + 1):
            if _register(event, sent_by).status != RegistrationStatus.CONFIRMED:
                break
            confirmed += 1
        transaction.set_rollback(True)
    return confirmed


def test_the_page_announces_exactly_what_the_service_then_confirms(client):
    operators = [OrganisationFactory(name=f"Opérateur {letter}") for letter in "ABC"]

    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def check(data):
        capacity = data.draw(st.integers(1, 6), label="capacity")
        event = EventFactory(capacity=capacity)
        remaining = capacity
        for operator in operators:
            seats = data.draw(st.integers(0, min(remaining, 3)), label=operator.name)
            if seats:
                SeatQuota.objects.create(event=event, organisation=operator, seats=seats)
                remaining -= seats
        senders = data.draw(
            st.lists(st.sampled_from([None, *range(len(operators))]), max_size=9), label="senders"
        )
        earlier = [_register(event, operators[i] if i is not None else None) for i in senders]
        for index in data.draw(st.sets(st.integers(0, 8)), label="cancelled"):
            if index < len(earlier):
                services.registration_cancel(registration=earlier[index])

        public, reserved = _read(_sentence(client, event))
        assert _confirmed_in_a_row(event) == public
        for operator in operators:
            expected = reserved.get(operator.name, 0) + public
            assert _confirmed_in_a_row(event, operator) == expected, operator.name
        # The list page and the API read the same ledger.
        body = client.get(f"/api/v1/events/{event.pk}").json()
        assert body["seats_open_to_public"] == public
        assert {r["name"]: r["seats"] for r in body["seats_reserved"]} == reserved
        listed = client.get("/evenements/").content.decode()
        card = listed.split(f'href="{event.get_absolute_url()}"', 1)[1].split("</li>", 1)[0]
        assert ("Complet — liste d&#x27;attente" in card) == (public == 0)

    check()


def test_the_issue_s_example_says_reserved_seats_are_reserved(client, register):
    uniformation = OrganisationFactory(name="Uniformation")
    event = EventFactory(capacity=3)
    SeatQuota.objects.create(event=event, organisation=uniformation, seats=1)
    assert _sentence(client, event) == (
        "2 places ouvertes au public, 1 réservée aux personnes orientées par Uniformation."
    )
    register(event, "anna")
    register(event, "bilal")
    assert _sentence(client, event) == (
        "Complet pour le public, 1 place réservée aux personnes orientées par Uniformation."
    )
    assert register(event, "chen").status == RegistrationStatus.WAITLISTED
    assert register(event, "dora", sent_by_organisation=uniformation).status == (
        RegistrationStatus.CONFIRMED
    )
    assert _sentence(client, event) == ("Complet pour le public. 1 personne en liste d'attente.")


def test_a_cancelled_event_says_so_instead_of_a_count(client, manager):
    event = EventFactory(capacity=30, lead_organisation=manager.organisation)
    services.event_transition(actor=manager.user, event=event, to_status=EventStatus.CANCELLED)
    event.refresh_from_db()
    assert _sentence(client, event) == "Événement annulé."
    assert "30 places" not in client.get(event.get_absolute_url()).content.decode()
    with pytest.raises(Conflict):
        _register(event)
    listed = client.get("/evenements/?date_from=2000-01-01").content.decode()
    assert "Événement annulé." in listed


def test_a_past_event_says_so_instead_of_a_count(client):
    event = EventFactory(capacity=30, past=True)
    event.ends_at = timezone.now() - timedelta(days=1)
    event.save()
    assert _sentence(client, event) == "Événement passé."
    assert seats_for(event).badge == "Passé"
