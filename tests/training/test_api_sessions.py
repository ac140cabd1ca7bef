"""API: the sessions list and enrolment (201 confirmed / waitlisted), with tokens."""

import io

import pytest
from django.core.management import call_command

from maillage.events.models import Registration
from tests.factories import MembershipFactory, OrganisationFactory
from tests.training.factories import make_session

pytestmark = pytest.mark.django_db


def _auth(membership):
    out = io.StringIO()
    call_command(
        "token",
        "create",
        "--user",
        membership.user.email,
        "--organisation",
        membership.organisation.slug,
        stdout=out,
    )
    return {"Authorization": f"Bearer {out.getvalue().strip()}"}


def _enrol(client, session, headers, body=None):
    return client.post(
        f"/api/v1/training/sessions/{session.pk}/enrolments",
        data=body or {},
        content_type="application/json",
        headers=headers,
    )


def test_sessions_list_needs_a_token_and_shows_seats(client):
    session = make_session(capacity=4)
    assert client.get("/api/v1/training/sessions").status_code == 401
    body = client.get("/api/v1/training/sessions", headers=_auth(MembershipFactory())).json()[
        "results"
    ]
    assert [s["id"] for s in body] == [session.pk]
    assert body[0]["seats_left"] == 4 and body[0]["theme"] == "marche_emploi"


def test_a_counsellor_token_enrols_confirmed_then_waitlisted_by_the_quota(client):
    afdas = OrganisationFactory(name="Afdas")
    session = make_session(capacity=2, quotas={afdas: 1, OrganisationFactory(): 1})
    first = _enrol(client, session, _auth(MembershipFactory(organisation=afdas)))
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    second = _enrol(client, session, _auth(MembershipFactory(organisation=afdas)))
    assert second.status_code == 201 and second.json()["status"] == "waitlisted"
    assert second.json()["waitlist_position"] == 1


def test_enrolling_twice_answers_200_with_the_same_status(client):
    session = make_session()
    headers = _auth(MembershipFactory())
    assert _enrol(client, session, headers).status_code == 201
    again = _enrol(client, session, headers)
    assert again.status_code == 200 and again.json()["status"] == "confirmed"
    assert Registration.objects.count() == 1


def test_a_manager_enrols_a_member_but_another_operators_is_404(client):
    session = make_session()
    manager = MembershipFactory(manager=True)
    colleague = MembershipFactory(organisation=manager.organisation)
    headers = _auth(manager)
    response = _enrol(client, session, headers, {"member_id": colleague.pk})
    assert response.status_code == 201
    assert Registration.objects.get().user == colleague.user
    stranger = MembershipFactory()
    assert _enrol(client, session, headers, {"member_id": stranger.pk}).status_code == 404


def test_an_unknown_session_is_404_and_a_committee_member_is_403(client):
    session = make_session()
    assert (
        _enrol(client, session, _auth(MembershipFactory(committee_member=True))).status_code == 403
    )
    missing = client.post(
        "/api/v1/training/sessions/999999/enrolments",
        content_type="application/json",
        headers=_auth(MembershipFactory()),
    )
    assert missing.status_code == 404


def test_a_cancelled_session_refuses_enrolment_with_409(client):
    from maillage.events.services import event_transition

    manager = MembershipFactory(manager=True)
    session = make_session(publisher=manager)
    event_transition(actor=manager.user, event=session.event, to_status="cancelled")
    # Cancelled sessions stay visible to their hosts only: others get a 404.
    assert _enrol(client, session, _auth(MembershipFactory())).status_code == 404
    assert _enrol(client, session, _auth(manager)).status_code == 409
