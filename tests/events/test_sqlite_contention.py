"""SQLite under a burst of writers: a transaction that timed out waiting is retried, never a 500."""

from types import SimpleNamespace

import pytest
from django.db import OperationalError

from maillage.events.services import _common


@pytest.fixture
def sqlite_outside_transaction(monkeypatch):
    monkeypatch.setattr(
        _common, "connection", SimpleNamespace(vendor="sqlite", in_atomic_block=False)
    )
    monkeypatch.setattr(_common.time, "sleep", lambda seconds: None)


def _flaky(failures):
    calls = []

    @_common.sqlite_retry
    def operation():
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("database is locked")
        return "fait"

    return operation, calls


def test_a_locked_database_is_retried_until_the_write_goes_through(sqlite_outside_transaction):
    operation, calls = _flaky(failures=3)
    assert operation() == "fait"
    assert len(calls) == 4


def test_after_too_many_attempts_the_answer_is_busy_not_a_crash(sqlite_outside_transaction):
    operation, calls = _flaky(failures=100)
    with pytest.raises(_common.Busy) as error:
        operation()
    assert error.value.status_code == 503
    assert len(calls) == _common.SQLITE_ATTEMPTS


def test_other_database_errors_are_not_hidden(sqlite_outside_transaction):
    @_common.sqlite_retry
    def operation():
        raise OperationalError("no such table: events_event")

    with pytest.raises(OperationalError):
        operation()
