"""Error answers: French pages in the site's layout, the shared JSON shape under /api/."""

import json

import pytest
from django.test import Client

from maillage.core import error_views
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

COORDINATOR_PAGE = "/espace/aiguillage/regles/nouvelle/"


def _in_layout(response):
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'aria-label="Navigation principale"' in html
    assert "Que faire ?" in html
    assert "Revenir à l'accueil de Maillage" in html
    return html


def _api_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == code
    assert body["errors"] == []
    return body


def test_unknown_page_is_the_french_404_in_the_layout(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = _in_layout(response)
    assert "Cette page est introuvable" in html
    assert "Page not found" not in html  # neither Django's bare page nor its URL list


def test_unknown_api_route_answers_json_404(client):
    body = _api_error(client.get("/api/v1/pas-de-route-ici"), 404, "not_found")
    assert body["detail"] == "Cette adresse n'existe pas."


def test_counsellor_on_a_coordinator_page_gets_the_403_with_the_role_reason(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.get(COORDINATOR_PAGE)
    assert response.status_code == 403
    html = _in_layout(response)
    assert "Vous n'avez pas accès à cette page" in html
    assert "Votre rôle ne permet pas d&#x27;ouvrir cette page." in html
    assert "Retourner à votre espace" in html  # signed in: the way back is their own space


def test_get_on_a_post_only_page_is_the_french_405_keeping_allow(client):
    response = client.get("/deconnexion/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    html = _in_layout(response)
    assert "Cette action n'est pas possible à cette adresse" in html


def test_wrong_method_on_the_api_answers_json_405(client):
    _api_error(client.delete("/api/v1/events"), 405, "method_not_allowed")


def test_form_posted_without_its_csrf_token_is_the_french_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": "a@b.fr", "password": "x"})
    assert response.status_code == 403
    html = _in_layout(response)
    assert "Le formulaire n'a pas pu être envoyé" in html
    assert "Motif :" in html
    assert "CSRF" not in html


def test_form_posted_with_a_tampered_csrf_token_names_the_mismatch():
    client = Client(enforce_csrf_checks=True)
    client.get("/connexion/")  # sets the CSRF cookie
    response = client.post(
        "/connexion/", {"username": "a@b.fr", "password": "x", "csrfmiddlewaretoken": "x" * 64}
    )
    assert response.status_code == 403
    assert "Le jeton de sécurité du formulaire ne correspond pas" in response.content.decode()


def test_csrf_failure_under_the_api_is_json(rf):
    request = rf.post("/api/v1/events/1/registrations")
    body = _api_error(error_views.csrf_failure(request, "CSRF token missing."), 403, "csrf_failed")
    assert body["detail"] == "Le jeton de sécurité du formulaire est absent."


def test_unknown_host_is_the_french_400(client):
    response = client.get("/", HTTP_HOST="pirate.example")
    assert response.status_code == 400
    html = _in_layout(response)
    assert "La demande n'a pas pu être traitée" in html
    assert "HTTP_HOST" not in html  # Django's technical reason is not shown


def _while_handling(exc, handler, request):
    try:
        raise exc
    except type(exc):
        return handler(request)


def test_server_error_is_the_french_500_page(rf):
    request = rf.get("/evenements/")
    response = _while_handling(RuntimeError("boom"), error_views.server_error, request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur inattendue s'est produite" in html
    assert 'aria-label="Navigation principale"' in html
    assert "boom" not in html


def test_server_error_under_the_api_is_json(rf):
    request = rf.get("/api/v1/events")
    response = _while_handling(RuntimeError("boom"), error_views.server_error, request)
    _api_error(response, 500, "server_error")


def test_a_form_answered_with_400_keeps_its_own_page(client, reference):
    response = client.get("/trouver-mon-conseiller/resultat/?age=abc")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Que faire ?" not in html  # not replaced by the generic error page
    assert "<form" in html
