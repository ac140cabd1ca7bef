"""Rate limits per client address on the public forms and routes: a French 429 in the site's
layout with `Retry-After`, one budget per address, off only by `MAILLAGE_RATELIMIT_ENABLE`."""

import html
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from maillage.core.ratelimits import client_ip
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    """Every limit at 3 a minute, so that a test needs only a few requests."""
    settings.MAILLAGE_RATELIMITS = {name: "3/m" for name in settings.MAILLAGE_RATELIMITS}
    return settings


def _person(n):
    return {"first_name": "Anna", "last_name": "Test", "email": f"anna{n}@exemple.fr"}


def _assert_french_429(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    page = html.unescape(response.content.decode())
    assert "Trop de demandes" in page and "Réessayez dans" in page
    assert "Aller au contenu" in page and "Annuaire" in page  # the site's layout and navigation


def test_the_public_registration_page_answers_429_after_its_rate(client, rates):
    event = EventFactory(capacity=None)
    for n in range(3):
        assert client.post(f"/evenements/{event.pk}/inscription", _person(n)).status_code == 302
    _assert_french_429(client.post(f"/evenements/{event.pk}/inscription", _person(9)))
    # Another address is not concerned; reading the page is not limited.
    other = client.post(f"/evenements/{event.pk}/inscription", _person(8), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    assert client.get(f"/evenements/{event.pk}/").status_code == 200


def test_the_api_registration_shares_the_budget_and_answers_json_429(client, rates):
    event = EventFactory(capacity=None)
    client.post(f"/evenements/{event.pk}/inscription", _person(0))
    for n in range(1, 3):
        response = client.post(
            f"/api/v1/events/{event.pk}/registrations", _person(n), content_type="application/json"
        )
        assert response.status_code == 202
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations", _person(5), content_type="application/json"
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["code"] == "rate_limited" and body["errors"] == []
    assert body["detail"].startswith("Trop de demandes depuis votre adresse : réessayez dans")


def test_sign_in_answers_429_after_its_rate(client, rates):
    for _ in range(3):
        client.post("/connexion/", {"username": "a@exemple.fr", "password": "x"})
    _assert_french_429(client.post("/connexion/", {"username": "b@exemple.fr", "password": "x"}))
    assert client.get("/connexion/").status_code == 200


def test_password_reset_answers_429_after_its_rate(client, rates):
    for _ in range(3):
        assert client.post("/mot-de-passe/oubli/", {"email": "a@exemple.fr"}).status_code == 302
    _assert_french_429(client.post("/mot-de-passe/oubli/", {"email": "a@exemple.fr"}))


def test_the_public_routing_result_answers_429_after_its_rate(client, rates, reference):
    query = {"department": "93", "status": "job_seeker", "age": "22"}
    for _ in range(3):
        assert client.get("/trouver-mon-conseiller/resultat/", query).status_code == 200
    _assert_french_429(client.get("/trouver-mon-conseiller/resultat/", query))
    _assert_french_429(client.post("/trouver-mon-conseiller/resultat/", query))


def test_rate_limits_can_be_turned_off_for_benchmarks(client, rates):
    rates.MAILLAGE_RATELIMIT_ENABLE = False
    event = EventFactory(capacity=None)
    for n in range(6):
        assert client.post(f"/evenements/{event.pk}/inscription", _person(n)).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, rates):
    event = EventFactory(capacity=None)
    for n in range(4):
        response = client.post(
            f"/evenements/{event.pk}/inscription",
            _person(n),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(client, rates):
    rates.MAILLAGE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    event = EventFactory(capacity=None)
    url = f"/evenements/{event.pk}/inscription"
    proxy = {"REMOTE_ADDR": "10.1.2.3"}
    for n in range(3):
        client.post(url, _person(n), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert (
        client.post(url, _person(7), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code
        == 429
    )
    # The client cannot choose its address: only the hop the proxy appended counts.
    forged = "198.51.100.99, 198.51.100.1"
    assert client.post(url, _person(8), HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
    assert (
        client.post(url, _person(9), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("192.0.2.1", "203.0.113.5", [], "192.0.2.1"),
        ("10.0.0.1", "203.0.113.5", ["10.0.0.1"], "203.0.113.5"),
        ("10.0.0.1", "203.0.113.5, 10.0.0.2", ["10.0.0.0/24"], "203.0.113.5"),
        ("10.0.0.1", "pas-une-adresse", ["10.0.0.1"], "10.0.0.1"),
        ("10.0.0.1", "", ["10.0.0.1"], "10.0.0.1"),
        ("192.0.2.1", "203.0.113.5", ["10.0.0.1"], "192.0.2.1"),
    ],
)
def test_client_ip(settings, remote, forwarded, trusted, expected):
    settings.MAILLAGE_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_counter_keeps_its_window_and_loses_no_increment(settings):
    cache = caches[settings.RATELIMIT_USE_CACHE]
    cache.add("compteur", 0, 3600)
    for _ in range(5):
        cache.incr("compteur")
    assert cache.get("compteur") == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM maillage_cache WHERE cache_key LIKE %s", ["%compteur"])
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):
        expires = datetime.fromisoformat(expires)
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    # Django's own increment would have reset the expiry to the default five minutes.
    assert expires - datetime.now(UTC) > timedelta(minutes=50)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_increments_are_all_counted(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is in memory: one connection, no concurrency")
    cache = caches[settings.RATELIMIT_USE_CACHE]
    cache.add("simultane", 0, 3600)

    def bump():
        for _ in range(10):
            cache.incr("simultane")
        connection.close()

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("simultane") == 80
    cache.delete("simultane")
