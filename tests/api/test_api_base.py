"""API base: bearer tokens, /me, the public directory, OpenAPI."""

import io

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from maillage.accounts.models import ApiToken
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _create_token(email, *extra):
    out = io.StringIO()
    call_command("token", "create", "--user", email, *extra, stdout=out)
    return out.getvalue().strip()


def test_token_create_then_me_returns_user_organisation_and_role(client):
    membership = MembershipFactory(manager=True, organisation__slug="afdas-test")
    token = _create_token(membership.user.email)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == membership.user.email
    assert body["organisation"]["slug"] == "afdas-test"
    assert body["role"] == "manager"
    assert ApiToken.objects.get().key_hash != token  # stored hashed


def test_token_for_a_chosen_organisation(client):
    first = MembershipFactory()
    second = MembershipFactory(user=first.user, manager=True)
    token = _create_token(first.user.email, "--organisation", second.organisation.slug)
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["organisation"]["slug"] == second.organisation.slug and body["role"] == "manager"


def test_no_token_gives_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "jeton" in response.json()["detail"]


def test_a_bad_token_gives_401(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer mlg_faux"})
    assert response.status_code == 401


def test_a_revoked_token_gives_401(client):
    membership = MembershipFactory()
    token = _create_token(membership.user.email)
    call_command("token", "revoke", token[:12], stdout=io.StringIO())
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_deactivated_membership_disables_the_token(client):
    membership = MembershipFactory()
    token = _create_token(membership.user.email)
    membership.is_active = False
    membership.save()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_create_for_an_unknown_user_fails_cleanly():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucun utilisateur"):
        _create_token("personne@inconnue.fr")


def test_openapi_schema_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.json())


def test_organisations_are_public(reference, client):
    body = client.get("/api/v1/organisations").json()["results"]
    assert {"afdas", "cheops-idf", "mon-cep"} <= {o["slug"] for o in body}
    young = client.get("/api/v1/organisations", {"public": "jeunes"}).json()["results"]
    assert [o["slug"] for o in young] == ["arml-idf"]


def test_organisation_detail_and_404(reference, client):
    assert client.get("/api/v1/organisations/afdas").json()["name"] == "Afdas"
    response = client.get("/api/v1/organisations/inconnu")
    assert response.status_code == 404 and response.json()["detail"] == "Introuvable."


def test_a_wrongly_typed_value_gets_a_french_422(client):
    response = client.post(
        "/api/v1/routing/decisions",
        {"department": "75", "status": "job_seeker", "age": "vingt"},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == "age" for e in errors), errors
    assert all("Input should" not in e["message"] for e in errors), errors
