"""Public registration never tells who is registered, and members-only events do not exist
for anonymous visitors: on the page, the ICS and the API alike."""

import html
import re
from datetime import timedelta

import pytest

from maillage.accounts.services import api_token_create
from maillage.events.enums import Audience, EventStatus
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Registration
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ANSWER = "Si cette adresse n'était pas encore inscrite"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def do(path, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, **extra)

    return do


def _person(email, **extra):
    return {"first_name": "Anna", "last_name": "Test", "email": email, **extra}


def _page_register(post, event, email):
    return post(f"/evenements/{event.pk}/inscription", _person(email), follow=True)


def _api_register(post, event, email):
    return post(
        f"/api/v1/events/{event.pk}/registrations", _person(email), content_type="application/json"
    )


def _strip_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_page_answers_the_same_for_a_known_and_an_unknown_address(post):
    event = EventFactory(capacity=None)
    _page_register(post, event, "anna@exemple.fr")
    known = _page_register(post, event, "anna@exemple.fr")
    unknown = _page_register(post, event, "bilal@exemple.fr")
    assert known.redirect_chain == unknown.redirect_chain == [(event.get_absolute_url(), 302)]
    assert ANSWER in html.unescape(known.content.decode())
    assert _strip_csrf(known.content.decode()) == _strip_csrf(unknown.content.decode())


def test_the_api_answers_the_same_for_a_known_and_an_unknown_address(post):
    event = EventFactory(capacity=1)
    _api_register(post, event, "anna@exemple.fr")
    known = _api_register(post, event, "Anna@Exemple.fr")
    unknown = _api_register(post, event, "bilal@exemple.fr")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert ANSWER in known.json()["detail"]
    assert not {"id", "status", "position", "manage_url"} & set(known.json())
    # The seats and the waiting list work as before behind the same answer.
    assert sorted(Registration.objects.values_list("email", "status")) == [
        ("anna@exemple.fr", RS.CONFIRMED),
        ("bilal@exemple.fr", RS.WAITLISTED),
    ]


def test_the_schema_documents_the_202_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/events/{event_id}/registrations"]["post"]
    assert "202" in operation["responses"]
    assert not {"200", "201"} & set(operation["responses"])


def test_a_closed_event_answers_the_same_for_a_known_and_an_unknown_address(post):
    event = EventFactory()
    _api_register(post, event, "anna@exemple.fr")
    event.status = EventStatus.REGISTRATION_CLOSED
    event.save(update_fields=["status"])
    known = _api_register(post, event, "anna@exemple.fr")
    unknown = _api_register(post, event, "bilal@exemple.fr")
    assert known.status_code == unknown.status_code == 409
    assert known.json() == unknown.json()


def test_the_link_is_sent_again_at_most_once_an_hour_per_address_and_event(post, work, mailoutbox):
    event = EventFactory(capacity=None)
    other = EventFactory(capacity=None)
    for target in (event, other):
        _page_register(post, target, "anna@exemple.fr")
    for _ in range(3):
        _page_register(post, event, "anna@exemple.fr")
        _api_register(post, event, "anna@exemple.fr")
    _api_register(post, other, "anna@exemple.fr")
    work()

    def resent(target):
        return [m for m in mailoutbox if m.subject == f"Votre inscription : {target.title}"]

    assert len(resent(event)) == 1 and len(resent(other)) == 1
    assert "/evenements/inscription/" in resent(event)[0].body
    # An hour later, one more.
    Registration.objects.filter(event=event).update(
        link_resent_at=Registration.objects.get(event=event).link_resent_at - timedelta(hours=1)
    )
    _page_register(post, event, "anna@exemple.fr")
    _page_register(post, event, "anna@exemple.fr")
    work()
    assert len(resent(event)) == 2


# --- members-only events -------------------------------------------------------------------
def _members_event():
    return EventFactory(audience=Audience.MEMBERS, title="Session réservée aux membres")


def _token(membership):
    _token, raw = api_token_create(user=membership.user, organisation=membership.organisation)
    return {"Authorization": f"Bearer {raw}"}


def test_a_members_only_event_is_not_found_by_anonymous_visitors_on_every_channel(client, post):
    event = _members_event()
    assert client.get(f"/evenements/{event.pk}/").status_code == 404
    assert client.get(f"/evenements/{event.pk}/evenement.ics").status_code == 404
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 404
    assert _api_register(post, event, "anna@exemple.fr").status_code == 404
    assert post(f"/evenements/{event.pk}/inscription", _person("a@exemple.fr")).status_code == 404
    assert not Registration.objects.exists()


def test_a_members_only_event_is_shown_to_signed_in_members_and_member_tokens(client):
    event = _members_event()
    member = MembershipFactory()
    assert client.get(f"/api/v1/events/{event.pk}", headers=_token(member)).status_code == 200
    client.force_login(member.user)
    assert "Session réservée aux membres" in client.get(f"/evenements/{event.pk}/").content.decode()
    assert client.get(f"/evenements/{event.pk}/evenement.ics").status_code == 200


def test_a_signed_in_person_without_an_active_membership_gets_404(client):
    event = _members_event()
    former = MembershipFactory(is_active=False)
    client.force_login(former.user)
    assert client.get(f"/evenements/{event.pk}/").status_code == 404
