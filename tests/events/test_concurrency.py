"""Simultaneous registrations against a live server never confirm more than the capacity.

PostgreSQL: pytest-django's live server (one connection per request thread, row lock on the
event). SQLite: the test database is a file (settings), so a real `maillage serve` (gunicorn,
16 threads) serves it from another process (BEGIN IMMEDIATE + busy timeout). Independent of
bench/registrations.py, which measures the same at scale.
"""

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Registration
from tests.events.factories import EventFactory
from tests.servers import fetch, maillage_serve

REQUESTS = 40
CAPACITY = 7


def _emails():
    # A few people press the button twice: they must get their registration back.
    emails = [f"personne{i}@exemple.fr" for i in range(REQUESTS - 5)]
    return emails + emails[:5]


def _register(base, event_id, index, email):
    body = {"first_name": "Personne", "last_name": f"N{index}", "email": email}
    status, _headers, text = fetch(
        f"{base}/api/v1/events/{event_id}/registrations",
        method="POST",
        headers={"Content-Type": "application/json"},
        data=json.dumps(body).encode(),
        timeout=60,
    )
    return status, json.loads(text) if status == 202 else text[:300]


def register_many(base, event_id, count, *, workers, emails):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_register, base, event_id, i, emails[i]) for i in range(count)]
        return [f.result() for f in futures]


def _assert_outcome(results, counts):
    codes = sorted({code for code, _ in results})
    # One answer for everyone (it never tells who is registered), and no error.
    assert codes == [202], f"réponses : {codes} {results[:3]}"
    assert len({str(body) for _code, body in results}) == 1
    assert counts.get(RS.CONFIRMED, 0) == CAPACITY
    assert counts.get(RS.WAITLISTED, 0) == REQUESTS - 5 - CAPACITY
    assert sum(counts.values()) == REQUESTS - 5  # one row per email, never a second seat


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_ratelimit")  # 40 registrations from one address, by design
def test_threads_never_confirm_more_than_the_capacity(request, tmp_path):
    event = EventFactory(capacity=CAPACITY)
    if connection.vendor == "postgresql":
        live_server = request.getfixturevalue("live_server")
        results = register_many(live_server.url, event.pk, REQUESTS, workers=16, emails=_emails())
    else:
        database = connection.settings_dict["NAME"]
        with maillage_serve(
            tmp_path, env={"DATABASE_URL": f"sqlite:///{database}"}, threads=16
        ) as served:
            results = register_many(served.url, event.pk, REQUESTS, workers=16, emails=_emails())
    counts = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    _assert_outcome(results, counts)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_ratelimit")
def test_one_address_sent_many_times_at_once_gets_one_registration_and_the_same_answer(
    request, tmp_path
):
    # The address is looked up before the event's lock: requests that all found it free race
    # to insert, and the unique constraint turns every loser into "already registered".
    event = EventFactory(capacity=CAPACITY)
    emails = ["double@exemple.fr"] * 12
    if connection.vendor == "postgresql":
        base = request.getfixturevalue("live_server").url
        results = register_many(base, event.pk, len(emails), workers=12, emails=emails)
    else:
        database = connection.settings_dict["NAME"]
        with maillage_serve(
            tmp_path, env={"DATABASE_URL": f"sqlite:///{database}"}, threads=12
        ) as served:
            results = register_many(served.url, event.pk, len(emails), workers=12, emails=emails)
    assert sorted({code for code, _ in results}) == [202], results[:3]
    assert len({str(body) for _code, body in results}) == 1
    registration = Registration.objects.get(event=event)
    assert registration.status == RS.CONFIRMED
    assert registration.transitions.count() == 1
