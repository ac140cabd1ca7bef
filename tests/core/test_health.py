"""/healthz tells a load balancer whether the app and its database answer."""

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from maillage.core import views

    def broken_cursor():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_the_stylesheet_is_served(client):
    response = client.get("/static/maillage/css/site.css")
    assert response.status_code == 200
    assert b".skip-link" in b"".join(response.streaming_content)
