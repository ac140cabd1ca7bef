"""Concurrent writers: decision numbers stay unique and gapless, minutes never lose a save.

Real threads with their own database connections and PostgreSQL's row locks. SQLite's
in-memory test database (shared cache) answers "table is locked" instead of waiting, so these
run on PostgreSQL only (marker `postgres`, CI's second pass).
"""

import threading
from datetime import date

import pytest
from django.db import connection

from maillage.governance import services
from maillage.governance.models import Decision

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
]


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results.append(work(index))
        except Exception as error:  # collected: the test asserts on each kind
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_decisions_get_unique_consecutive_numbers(gov):
    secretary = gov.as_secretary()

    def decide(index):
        return services.decision_create(
            **secretary,
            committee=gov.committee,
            title=f"Décision {index}",
            decided_on=date(2019, 6, 1),
        ).reference

    references, errors = _in_threads(6, decide)
    assert errors == []
    assert sorted(references) == [f"COPIL-2019-{n:02d}" for n in range(1, 7)]
    assert Decision.objects.count() == 6


def test_concurrent_minutes_saves_keep_one_and_warn_the_others(gov):
    meeting = gov.schedule()
    secretary = gov.as_secretary()

    def save(index):
        minutes, _ = services.minutes_save(
            **secretary, meeting=meeting, text=f"Texte {index}", base_revision=0
        )
        return minutes.text

    saved, errors = _in_threads(4, save)
    assert len(saved) == 1, errors
    assert len(errors) == 3 and all(isinstance(e, services.MinutesConflict) for e in errors)
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == saved[0] and meeting.minutes.revision == 1
    assert {e.submitted for e in errors} | {saved[0]} == {f"Texte {i}" for i in range(4)}
