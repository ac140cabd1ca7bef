"""The events API: public calendar and registration, creation by a manager, the signed link."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from maillage.accounts.services import api_token_create
from maillage.core.models import AuditEntry
from maillage.events import services
from maillage.events.enums import EventStatus
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.links import manage_url
from maillage.events.models import Event, Registration
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _auth(membership):
    _token, raw = api_token_create(user=membership.user, organisation=membership.organisation)
    return {"Authorization": f"Bearer {raw}"}


def _register(client, event_id, email, **extra):
    return client.post(
        f"/api/v1/events/{event_id}/registrations",
        {"first_name": "Anna", "last_name": "Test", "email": email, **extra},
        content_type="application/json",
    )


def _event_payload(**extra):
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    return {
        "title": "Forum de l'alternance",
        "type": "forum",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=4)).isoformat(),
        "department": "93",
        "capacity": 50,
        "venue": "Bourse du travail",
        "questions": ["Votre métier actuel", {"label": "Votre projet", "required": True}],
        **extra,
    }


def test_public_list_shows_published_events_only_and_hides_the_online_link(client):
    published = EventFactory(online_url="https://visio.exemple.fr/secret")
    EventFactory(draft=True)
    body = client.get("/api/v1/events").json()["results"]
    assert [e["id"] for e in body] == [published.pk]
    assert body[0]["online"] is True
    assert "secret" not in str(body)
    assert body[0]["seats_left"] == 2
    assert client.get(f"/api/v1/events/{published.pk}").json()["title"] == published.title


def test_a_draft_event_is_not_found(client):
    draft = EventFactory(draft=True)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404
    assert _register(client, draft.pk, "a@exemple.fr").status_code == 404


def test_manager_creates_a_published_co_organised_event(client, reference):
    manager = MembershipFactory(manager=True, organisation=OrganisationFactory(slug="afdas-x"))
    co = OrganisationFactory(slug="arml-x")
    response = client.post(
        "/api/v1/events",
        _event_payload(organisers=["arml-x"]),
        content_type="application/json",
        headers=_auth(manager),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "published"
    assert [(o["slug"], o["is_lead"]) for o in body["organisers"]] == [
        ("afdas-x", True),
        ("arml-x", False),
    ]
    assert [q["required"] for q in body["questions"]] == [False, True]
    event = Event.objects.get(pk=body["id"])
    assert event.organisers.filter(organisation=co).exists()
    assert event.transitions.get().to_status == EventStatus.PUBLISHED


def test_counsellor_token_cannot_create_events(client, reference):
    counsellor = MembershipFactory()
    response = client.post(
        "/api/v1/events",
        _event_payload(),
        content_type="application/json",
        headers=_auth(counsellor),
    )
    assert response.status_code == 403
    assert (
        client.post("/api/v1/events", _event_payload(), content_type="application/json").status_code
        == 401
    )


def test_invalid_event_gives_field_errors(client, reference):
    manager = MembershipFactory(manager=True)
    payload = _event_payload(capacity=0, type="concert")
    response = client.post(
        "/api/v1/events", payload, content_type="application/json", headers=_auth(manager)
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"capacity", "type"} <= fields
    payload = _event_payload()
    payload["ends_at"] = payload["starts_at"]
    response = client.post(
        "/api/v1/events", payload, content_type="application/json", headers=_auth(manager)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ends_at"


def test_registration_confirms_then_waitlists_behind_one_answer(client):
    event = EventFactory(capacity=1)
    first = _register(client, event.pk, "anna@exemple.fr")
    assert first.status_code == 202
    assert "vous recevez une confirmation" in first.json()["detail"]
    second = _register(client, event.pk, "bilal@exemple.fr")
    assert second.status_code == 202
    anna, bilal = Registration.objects.filter(event=event).order_by("pk")
    assert (anna.status, bilal.status) == (RS.CONFIRMED, RS.WAITLISTED)
    assert services.waitlist_position(bilal) == 1


def test_same_email_again_keeps_the_one_registration_and_answers_the_same(client):
    event = EventFactory(capacity=3)
    first = _register(client, event.pk, "anna@exemple.fr")
    again = _register(client, event.pk, "Anna@Exemple.fr")
    assert again.status_code == first.status_code == 202
    assert again.json() == first.json()
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.parametrize("status", [EventStatus.REGISTRATION_CLOSED, EventStatus.CANCELLED])
def test_closed_or_cancelled_event_answers_409(client, status):
    event = EventFactory(status=status)
    response = _register(client, event.pk, "anna@exemple.fr")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_invalid_registration_answers_422_with_the_field(client):
    event = EventFactory()
    response = _register(client, event.pk, "pas-une-adresse")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "email", "message": "Indiquez une adresse e-mail valide."}
    ]
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {"email": "a@exemple.fr"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {"first_name", "last_name"} <= {e["field"] for e in response.json()["errors"]}


def test_cancel_through_the_signed_link_is_idempotent_and_offers_the_seat(client):
    event = EventFactory(capacity=1)
    _register(client, event.pk, "anna@exemple.fr")
    _register(client, event.pk, "bilal@exemple.fr")
    # The link the person receives by email (the API answer never carries it).
    link = manage_url(Registration.objects.get(email="anna@exemple.fr"))
    token = link.rstrip("/").rsplit("/", 1)[1]
    for _ in range(2):
        response = client.post(f"/api/v1/registrations/{token}/cancel")
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"
    assert Registration.objects.get(email="bilal@exemple.fr").status == RS.OFFERED
    assert client.delete(f"/api/v1/registrations/{token}").json()["status"] == "cancelled"
    bad = client.post(f"/api/v1/registrations/{token[:-2]}xx/cancel")
    assert bad.status_code == 422
    assert bad.json()["code"] == "bad_link"


def test_registration_list_is_for_organisers_only(client):
    event = EventFactory()
    _register(client, event.pk, "anna@exemple.fr")
    organiser = MembershipFactory(organisation=event.lead_organisation)
    stranger = MembershipFactory()
    ok = client.get(f"/api/v1/events/{event.pk}/registrations", headers=_auth(organiser))
    assert [r["email"] for r in ok.json()["results"]] == ["anna@exemple.fr"]
    other = client.get(f"/api/v1/events/{event.pk}/registrations", headers=_auth(stranger))
    assert other.status_code == 404


def test_a_public_registration_reads_little_and_writes_its_rows_in_one_transaction(
    client, settings, django_assert_num_queries
):
    # The busiest path of an opening (issue 19): the visibility read and the address lookup,
    # then under the event's lock the seats (one round trip), and the registration, its
    # transition row, its audit entry and its queued email, with the savepoint the test
    # transaction adds. (On PostgreSQL the last three go in one round trip: see below.)
    settings.MAILLAGE_RATELIMIT_ENABLE = False
    event = EventFactory(capacity=1)
    _register(client, event.pk, "anna@exemple.fr")
    with django_assert_num_queries(10):
        answer = _register(client, event.pk, "bilal@exemple.fr")
    assert answer.status_code == 202
    bilal = Registration.objects.get(event=event, email="bilal@exemple.fr")
    assert bilal.status == RS.WAITLISTED
    assert bilal.transitions.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="round trips to a server")
def test_on_postgresql_the_event_lock_is_held_for_four_round_trips(client, settings):
    # What 1,000 people opening at once queue for: from the locking SELECT to the end, only
    # the seats, the registration and one round trip for its log row, audit entry and email.
    settings.MAILLAGE_RATELIMIT_ENABLE = False
    event = EventFactory(capacity=1)
    _register(client, event.pk, "anna@exemple.fr")
    connection.ensure_connection()
    raw = connection.connection
    sent = []

    class Counting(raw.cursor_factory):
        def execute(self, query, params=None, **kwargs):
            sent.append(str(query))
            return super().execute(query, params, **kwargs)

    factory, raw.cursor_factory = raw.cursor_factory, Counting
    try:
        answer = _register(client, event.pk, "bilal@exemple.fr")
    finally:
        raw.cursor_factory = factory
    assert answer.status_code == 202
    locked = next(i for i, sql in enumerate(sent) if "FOR UPDATE" in sql)
    under_lock = [sql for sql in sent[locked:] if not sql.startswith("RELEASE SAVEPOINT")]
    assert len(under_lock) == 4, under_lock
    assert under_lock[-1].count("INSERT INTO") == 3
    bilal = Registration.objects.get(event=event, email="bilal@exemple.fr")
    assert bilal.transitions.get().to_status == RS.WAITLISTED
    assert AuditEntry.objects.filter(
        action="events.registration.waitlisted", object_id=str(bilal.pk)
    ).exists()
