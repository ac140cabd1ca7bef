"""Reading the roll-ups over a period: month rows for whole months, day rows for the rest."""

import contextvars
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from maillage.indicators.enums import ALL_DEPARTMENTS, Span
from maillage.indicators.models import RollupState
from maillage.indicators.periods import month_end, month_start, next_month


def period_q(start, end, *, today=None):
    """The rows covering [start, end] exactly once: whole months by month rows, edges by days.

    Events are counted on the day they happen, so no row is dated after today: a period that
    reaches today reads the current month from its month row, which holds its days so far.
    """
    if end >= (today or timezone.localdate()):
        end = month_end(end)
    first_full = start if start.day == 1 else next_month(start)
    last_full = month_start(end) if month_end(end) == end else month_start(end) - timedelta(days=1)
    last_full = month_start(last_full)
    if first_full > last_full:
        return Q(span=Span.DAY, day__gte=start, day__lte=end)
    q = Q(span=Span.MONTH, day__gte=first_full, day__lte=last_full)
    if start < first_full:
        q |= Q(span=Span.DAY, day__gte=start, day__lt=first_full)
    tail = month_end(last_full)
    if tail < end:
        q |= Q(span=Span.DAY, day__gt=tail, day__lte=end)
    return q


def facts(model, period, department=None, *, per_department=False):
    """Roll-up rows of the period: one department, all departments summed ("*"), or, with
    `per_department`, the rows of each department (to group by department)."""
    qs = model.objects.filter(period_q(period.start, period.end)).order_by()
    if department:
        return qs.filter(department=department)
    if per_department:
        return qs.exclude(department=ALL_DEPARTMENTS)
    return qs.filter(department=ALL_DEPARTMENTS)


_memo = contextvars.ContextVar("indicators_memo", default=None)


@contextmanager
def memoised():
    """Within this block, the same grouped query runs once (a page's tables share them)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def summed(qs, group_by, counters):
    """{key: {counter: total}} grouped by the `group_by` columns (key is a tuple, or a value)."""
    store = _memo.get()
    if store is not None:
        sql, params = qs.query.sql_with_params()
        memo_key = (sql, tuple(map(str, params)), tuple(group_by), tuple(counters))
        if memo_key in store:
            return store[memo_key]
    rows = qs.values(*group_by).annotate(**{f"t_{c}": Sum(c) for c in counters})
    out = {}
    for row in rows:
        key = tuple(row[g] for g in group_by)
        out[key if len(key) > 1 else key[0]] = {c: row[f"t_{c}"] or 0 for c in counters}
    if store is not None:
        store[memo_key] = out
    return out


def totals(qs, counters):
    row = qs.aggregate(**{f"t_{c}": Sum(c) for c in counters})
    return {c: row[f"t_{c}"] or 0 for c in counters}


def freshness():
    state = RollupState.objects.filter(id=1).first()
    return state.rebuilt_at if state else None
