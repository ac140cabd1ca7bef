"""Reads of reports from a PostgreSQL replica, when one is configured, with read-your-writes.

`DATABASE_REPLICA_URL` adds a `replica` database. Dashboards, exports and the activity report
run inside `replica_reads(request)`: their queries go to the replica — unless the person made
a change in the last few seconds (a cookie set on every successful write says so), in which
case they read the primary and see their change at once. Writes and migrations always go to
the primary; every other page reads the primary.
"""

import contextvars
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
STICKY_COOKIE = "maillage_ecrit"
_reading_replica = contextvars.ContextVar("maillage_reading_replica", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def wrote_recently(request):
    try:
        written = float(request.COOKIES.get(STICKY_COOKIE, "0"))
    except ValueError:
        return False
    return time.time() - written < settings.MAILLAGE_READ_YOUR_WRITES_SECONDS


@contextmanager
def replica_reads(request):
    """Send this block's reads to the replica, unless the person has just written."""
    use = replica_configured() and not wrote_recently(request)
    token = _reading_replica.set(use)
    try:
        yield use
    finally:
        _reading_replica.reset(token)


def reading_replica():
    return _reading_replica.get()


def replica_lag_seconds():
    """How far behind the replica is (0 when it has replayed all it received), or None."""
    if not replica_configured() or connections[REPLICA].vendor != "postgresql":
        return None
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
                "THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
            )
            (lag,) = cursor.fetchone()
    except DatabaseError:
        return None
    return round(float(lag or 0), 1)


class ReadYourWritesMiddleware:
    """After a successful write, mark the browser so that report pages read the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            replica_configured()
            and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
            and response.status_code < 400
        ):
            response.set_cookie(
                STICKY_COOKIE,
                f"{time.time():.3f}",
                max_age=int(settings.MAILLAGE_READ_YOUR_WRITES_SECONDS) + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
