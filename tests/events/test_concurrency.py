"""Simultaneous registrations against a live server never confirm more than the capacity.

PostgreSQL: pytest-django's live server (one connection per request thread, row lock on the
event). SQLite: the in-memory test database cannot be shared between threads, so the same
threaded Django server runs in a subprocess on a database file (BEGIN IMMEDIATE + busy timeout).
"""

import sqlite3

import pytest
from django.db import connection

from bench.registrations import event_setup, live_server_process, register_many
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Registration
from tests.events.factories import EventFactory

REQUESTS = 40
CAPACITY = 7


def _emails():
    # A few people press the button twice: they must get their registration back.
    emails = [f"personne{i}@exemple.fr" for i in range(REQUESTS - 5)]
    return emails + emails[:5]


def _assert_outcome(results, counts):
    codes = sorted({code for code, _ in results})
    assert all(200 <= code < 300 for code, _ in results), f"réponses : {codes} {results[:3]}"
    assert codes == [200, 201] or codes == [201]
    assert counts.get(RS.CONFIRMED, 0) == CAPACITY
    assert counts.get(RS.WAITLISTED, 0) == REQUESTS - 5 - CAPACITY
    assert sum(counts.values()) == REQUESTS - 5  # one row per email, never a second seat
    confirmed_answers = sum(
        1 for code, body in results if code == 201 and body["status"] == "confirmed"
    )
    assert confirmed_answers == CAPACITY


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_ratelimit")  # 40 registrations from one address, by design
def test_threads_never_confirm_more_than_the_capacity(request, tmp_path):
    if connection.vendor == "postgresql":
        live_server = request.getfixturevalue("live_server")
        event = EventFactory(capacity=CAPACITY)
        results = register_many(live_server.url, event.pk, REQUESTS, workers=16, emails=_emails())
        counts = {}
        for status in Registration.objects.filter(event=event).values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
    else:
        database = tmp_path / "concurrency.sqlite3"
        url = f"sqlite:///{database}"
        event_id = event_setup(url, tmp_path, CAPACITY)
        with live_server_process(url, tmp_path) as base:
            results = register_many(base, event_id, REQUESTS, workers=16, emails=_emails())
        with sqlite3.connect(database) as db:
            counts = dict(
                db.execute(
                    "SELECT status, COUNT(*) FROM events_registration WHERE event_id = ? "
                    "GROUP BY status",
                    [event_id],
                ).fetchall()
            )
    _assert_outcome(results, counts)
