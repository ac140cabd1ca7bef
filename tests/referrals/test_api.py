"""The referrals API: 201/403/404/409/422 exactly as the issue states."""

import pytest

from maillage.referrals.enums import Status
from maillage.referrals.models import Referral
from maillage.referrals.workflow import USER_ACTIONS
from tests.factories import MembershipFactory, OrganisationFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


def _payload(**overrides):
    payload = {
        "person": {"first_name": "Inès", "last_name": "Benali", "email": "ines@exemple.fr"},
        "profile": {"department": "93", "status": "job_seeker", "disability": True},
        "to": "cap-test",
        "need": "Chercher un emploi adapté.",
        "consent": {"given": True, "method": "phone"},
    }
    payload.update(overrides)
    return payload


def test_post_creates_a_referral_with_routing_kept(api, sender, receiver):
    response = api(sender).post("/referrals", _payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "sent"
    assert (body["from"], body["to"]) == ("pole-test", "cap-test")
    referral = Referral.objects.get(pk=body["id"])
    assert referral.profile["disability"] is True
    assert referral.decision["rule"] == "R2" and referral.decision["primary"] == "cheops-idf"
    assert referral.free_choice is True  # cheops-idf suggested, cap-test chosen
    assert referral.consent_method == "phone" and referral.consent_recorded_by == sender.user


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"consent": {"given": False, "method": "phone"}}, "consent.given", "consentement"),
        ({"consent": None}, "consent.given", "consentement"),
        ({"to": "inconnu"}, "to", "inconnu"),
        ({"to": "pole-test"}, "to", "propre organisation"),
        ({"person": {"first_name": "Inès"}}, "person.last_name", "nom"),
        ({"person": {"first_name": "A", "last_name": "B"}}, "person.email", "contact"),
        ({"profile": {"department": "", "status": "job_seeker"}}, "profile.department", ""),
        ({"need": ""}, "need", "besoin"),
    ],
)
def test_post_refuses_bad_input_with_a_french_422(api, sender, receiver, overrides, field, words):
    response = api(sender).post("/referrals", _payload(**overrides))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert words in body["detail"]
    assert not Referral.objects.exists()


def test_post_to_an_inactive_operator_is_a_422(api, sender, receiver):
    OrganisationFactory(name="Fermé", slug="ferme", is_active=False)
    response = api(sender).post("/referrals", _payload(to="ferme"))
    assert response.status_code == 422
    assert "ne reçoit pas" in response.json()["detail"]


def test_a_duplicate_is_a_409_until_a_reason_is_given(api, sender, receiver):
    assert api(sender).post("/referrals", _payload()).status_code == 201
    again = api(sender).post("/referrals", _payload())
    assert again.status_code == 409
    assert "une orientation vers Cap test est ouverte depuis le" in again.json()["detail"]
    forced = api(sender).post("/referrals", _payload(duplicate_reason="Nouvelle demande"))
    assert forced.status_code == 201


def test_list_shows_only_what_the_organisation_may_see(api, sender, receiver, stranger):
    mine = factories.send(sender, receiver)
    factories.send(stranger, receiver)
    sent = api(sender).get("/referrals", box="sent").json()
    assert [r["id"] for r in sent["results"]] == [mine.pk]
    received = api(receiver).get("/referrals", box="received", status="sent").json()
    assert received["count"] == 2
    assert api(stranger).get("/referrals", box="received").json()["count"] == 0
    assert api(sender).get("/referrals", box="nope").status_code == 422
    assert api(sender).get("/referrals", box="all").status_code == 403


def test_detail_has_the_history_and_is_404_for_another_organisation(
    api, referral, sender, stranger
):
    body = api(sender).get(f"/referrals/{referral.pk}").json()
    assert body["person"]["last_name"] == "Dupont"
    assert [s["to_status"] for s in body["history"]] == ["sent"]
    assert api(stranger).get(f"/referrals/{referral.pk}").status_code == 404
    assert api(sender).get("/referrals/999999").status_code == 404


@pytest.mark.parametrize("action", USER_ACTIONS)
def test_every_transition_route_is_404_for_another_organisation(api, referral, stranger, action):
    response = api(stranger).post(f"/referrals/{referral.pk}/transitions", {"action": action})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_a_full_loop_through_the_api(api, referral, sender, receiver):
    url = f"/referrals/{referral.pk}/transitions"
    b = api(receiver)
    assert b.post(url, {"action": "receive"}).json()["status"] == "received"
    assert b.post(url, {"action": "accept"}).json()["status"] == "accepted"
    started = b.post(url, {"action": "start", "first_appointment_on": "2030-01-15"})
    assert started.json()["status"] == "in_progress"
    closed = b.post(url, {"action": "close", "outcome": "training_started"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    history = api(sender).get(f"/referrals/{referral.pk}").json()
    assert [s["to_status"] for s in history["history"]] == [
        "sent",
        "received",
        "accepted",
        "in_progress",
        "closed",
    ]
    assert history["outcome"] == "training_started"


def test_the_sender_accepting_is_403_and_the_receiver_cancelling_is_403(
    api, referral, sender, receiver
):
    url = f"/referrals/{referral.pk}/transitions"
    accept = api(sender).post(url, {"action": "accept"})
    assert accept.status_code == 403 and "Seul l'opérateur qui reçoit" in accept.json()["detail"]
    cancel = api(receiver).post(url, {"action": "cancel"})
    assert cancel.status_code == 403


def test_an_action_from_the_wrong_state_is_409(api, referral, sender, receiver):
    url = f"/referrals/{referral.pk}/transitions"
    assert api(receiver).post(url, {"action": "accept"}).status_code == 200
    response = api(sender).post(url, {"action": "cancel"})
    assert response.status_code == 409
    assert "déjà été acceptée" in response.json()["detail"]


def test_unknown_action_and_missing_outcome_are_422(api, referral, sender, receiver):
    url = f"/referrals/{referral.pk}/transitions"
    assert api(receiver).post(url, {"action": "expire"}).status_code == 422
    factories.walk(referral, sender, receiver, Status.ACCEPTED)
    response = api(receiver).post(url, {"action": "close"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "outcome"


def test_a_coordinator_token_cannot_send(api, receiver):
    coordinator = MembershipFactory(coordinator=True)
    response = api(coordinator).post("/referrals", _payload())
    assert response.status_code == 403


def test_post_may_leave_the_person_uncontacted_only_with_a_reason(api, sender, receiver):
    refused = api(sender).post("/referrals", _payload(contact_person=False))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "no_contact_reason"
    reason = "La personne a demandé à être rappelée par son conseiller."
    response = api(sender).post(
        "/referrals", _payload(contact_person=False, no_contact_reason=reason)
    )
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.contact_person is False and referral.no_contact_reason == reason
