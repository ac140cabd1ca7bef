"""Rebuild the referral roll-ups of a range of days from the referrals (idempotent).

A rebuild deletes the day rows of the range and recomputes them, then recomputes the month
rows of every month the range touches from the day rows. The database does the work
(`INSERT … SELECT` over the grouped queries the ORM writes for each backend), so rebuilding
millions of referrals never loads them into Python. Delays in business days come from a
calendar table (`BusinessDay.ordinal`). Running it twice gives the same rows; two workers
rebuilding at once queue behind a row lock.

A full rebuild on PostgreSQL empties the tables (`TRUNCATE`) and writes them without their
secondary indexes, which it builds again at the end: millions of rows appended to a bare table
then indexed once, instead of each row inserted into two seven-column B-trees. Dashboards
reading during a full rebuild wait for it (the truncation locks the tables until the commit);
the worker's daily refresh never takes this path.
"""

from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Min, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.business_days import is_business_day
from maillage.indicators.enums import (
    AGE_BAND_LABELS,
    ALL_DEPARTMENTS,
    DELAY_CAP,
    ENDED_COUNTERS,
    FLOW_COUNTERS,
    PERSON_STATUS_LABELS,
    DelayMeasure,
    ProfileDimension,
    ReasonKind,
    Side,
    Span,
)
from maillage.indicators.models import (
    BusinessDay,
    ReferralDelayFact,
    ReferralFlowFact,
    ReferralProfileFact,
    ReferralReasonFact,
    RollupState,
)

FACT_MODELS = (ReferralFlowFact, ReferralProfileFact, ReferralReasonFact, ReferralDelayFact)
COUNTERS = [c for c, _ in FLOW_COUNTERS]
FLOW_DIMS = ("sender_organisation_id", "receiver_organisation_id", "department")
# The calendar reaches this far past the last day rebuilt (events of the coming months).
CALENDAR_MARGIN_DAYS = 400


def _referrals():
    from maillage.referrals.models import Referral

    return Referral.objects.order_by()


def _bounds(start, end):
    """Aware datetimes of the local midnights around [start, end]."""
    tz = timezone.get_current_timezone()
    low = timezone.make_aware(datetime.combine(start, time.min), tz)
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
    return low, high


def _sql(queryset):
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


# The referrals of the range are read once into a narrow table (ids, dimensions, and each
# event's local day computed once); every roll-up table is then grouped from it. Reading the
# wide referral table (JSON profile, time-zone conversion) once instead of a dozen times is
# what makes a full rebuild of millions of referrals take a minute, not several.
SOURCE = "indicators_rollup_source"
# The text dimensions of the narrow table (the person's situation cut as the roll-ups store it).
DIMENSIONS = ("department", "status", "age_band", "pstatus", "refusal_reason", "outcome")


def _vocabularies():
    """The known values of the dimensions every statement groups by (what PostgreSQL stores
    as small integers; the others, read by one or two statements, stay text)."""
    from maillage.partners.models import Department

    return {
        "department": ["", *Department.objects.order_by("code").values_list("code", flat=True)],
        "age_band": list(AGE_BAND_LABELS),
        "pstatus": list(PERSON_STATUS_LABELS),
    }


def _literal(value):
    return "'" + value.replace("'", "''") + "'"


class _Source:
    """How the statements read the narrow table's text dimensions.

    On PostgreSQL each one is stored as the position of its value in a known vocabulary
    (`<name>_k`, a small integer) and as text only when the value is not in it (`<name>_x`,
    NULL otherwise): grouping millions of rows by small integers is about three times faster
    than by text, and an unforeseen value is still counted under its own text. SQLite keeps
    the text (`<name>`).
    """

    def __init__(self):
        self.coded = connection.vendor == "postgresql"
        self.vocabulary = _vocabularies() if self.coded else {}

    def _array(self, name):
        return "ARRAY[" + ", ".join(_literal(v) for v in self.vocabulary[name]) + "]::text[]"

    def columns(self, alias):
        """The select list that stores the dimensions of the ORM's query `alias` (an inner
        select computes each position once, the outer one keeps the text of unknown values)."""
        inner, outer = [], []
        for name in DIMENSIONS:
            raw = f"{alias}.{name}"
            if name in ("age_band", "pstatus"):
                raw = f"SUBSTR(COALESCE({raw}, ''), 1, 20)"
            if name in self.vocabulary:
                cases = " ".join(
                    f"WHEN {_literal(v)} THEN {i}" for i, v in enumerate(self.vocabulary[name], 1)
                )
                inner.append(f"{raw} AS {name}_raw, (CASE {raw} {cases} END)::smallint AS {name}_k")
                outer.append(
                    f"{name}_k, CASE WHEN {name}_k IS NULL THEN {name}_raw END AS {name}_x"
                )
            else:
                inner.append(f"{raw} AS {name}")
                outer.append(name)
        return ", ".join(inner), ", ".join(outer)

    def keys(self, name, alias=""):
        """What to group by for the dimension."""
        if name in self.vocabulary:
            return f"{alias}{name}_k, {alias}{name}_x"
        return f"{alias}{name}"

    def value(self, name, alias=""):
        """The dimension's text (in a select list grouped by its `keys`)."""
        if name in self.vocabulary:
            return f"COALESCE(({self._array(name)})[{alias}{name}_k], {alias}{name}_x)"
        return f"{alias}{name}"

    def by_department(self, alias=""):
        """(GROUP BY tail, department select) of a statement writing day rows.

        On PostgreSQL the same pass also writes the "*" rows (every department summed) by
        grouping sets; SQLite sums them from the day rows afterwards (`_insert_all_departments`).
        """
        if not self.coded:
            return self.keys("department", alias), self.value("department", alias)
        return (
            f"GROUPING SETS (({self.keys('department', alias)}), ())",
            f"CASE WHEN GROUPING({alias}department_k) = 1 THEN {_literal(ALL_DEPARTMENTS)} "
            f"ELSE {self.value('department', alias)} END",
        )

    def order(self, day, alias=""):
        """ORDER BY of a statement writing day rows on PostgreSQL: the "*" rows first, each
        department's rows by day, so that a dashboard reading a few weeks of days finds them
        in a few pages of the table rather than one page per row."""
        if not self.coded:
            return ""
        return f" ORDER BY GROUPING({alias}department_k) DESC, {alias}department_k, {day}"

    def among(self, name, values):
        """The condition "the dimension is one of `values`" (values of its vocabulary)."""
        if name in self.vocabulary:
            positions = [self.vocabulary[name].index(v) + 1 for v in values]
            return f"{name}_k IN ({', '.join(map(str, positions))})"
        return f"{name} IN ({', '.join(_literal(v) for v in values)})"


def _source_create(start, end):
    """Fill the narrow table with the referrals having an event day in [start, end]."""
    low, high = _bounds(start, end)
    touched = Q()
    for field in ("sent_at", "received_at", "accepted_at", "ended_at"):
        touched |= Q(**{f"{field}__gte": low, f"{field}__lt": high})
    queryset = (
        _referrals()
        .filter(touched)
        .annotate(
            ds=TruncDate("sent_at"),
            dr=TruncDate("received_at"),
            da=TruncDate("accepted_at"),
            de=TruncDate("ended_at"),
            pstatus=KeyTextTransform("status", "profile"),
        )
        .values(
            "ds", "dr", "da", "de", "sender_organisation_id", "receiver_organisation_id",
            "department", "status", "age_band", "pstatus", "refusal_reason", "outcome",
        )
    )  # fmt: skip
    sql, params = _sql(queryset)
    source = _Source()
    inner, outer = source.columns("q")
    # OFFSET 0 keeps PostgreSQL from inlining the inner select (each CASE evaluated once).
    fence = " OFFSET 0" if source.coded else ""
    _execute(f"DROP TABLE IF EXISTS {SOURCE}", [])
    _execute(
        f"CREATE TEMPORARY TABLE {SOURCE} AS SELECT ds, dr, da, de, sender_organisation_id, "
        f"receiver_organisation_id, {outer} FROM (SELECT q.ds, q.dr, q.da, q.de, "
        f"q.sender_organisation_id, q.receiver_organisation_id, {inner} FROM ({sql}) q{fence}) p",
        params,
    )
    if connection.vendor == "postgresql":
        _execute(f"ANALYZE {SOURCE}", [])
    return source


def _source_drop():
    _execute(f"DROP TABLE IF EXISTS {SOURCE}", [])


def _insert_flows(source, start, end):
    """Each event counted per (day, sender, receiver, department) on its own, then the four
    counts (the ended one per final state) summed into one row per combination."""
    dims = f"sender_organisation_id, receiver_organisation_id, {source.keys('department')}"
    parts, params = [], []
    for counter, column in (("sent", "ds"), ("received", "dr"), ("accepted", "da")):
        parts.append(
            f"SELECT {column} AS d, {dims}, {_literal(counter)} AS kind, COUNT(*) AS n "
            f"FROM {SOURCE} WHERE {column} >= %s AND {column} <= %s GROUP BY {column}, {dims}"
        )
        params += [start, end]
    parts.append(
        f"SELECT de AS d, {dims}, status AS kind, COUNT(*) AS n FROM {SOURCE} "
        f"WHERE de >= %s AND de <= %s AND {source.among('status', ENDED_COUNTERS)} "
        f"GROUP BY de, {dims}, status"
    )
    params += [start, end]
    sums = ", ".join(f"SUM(CASE WHEN u.kind = {_literal(c)} THEN u.n ELSE 0 END)" for c in COUNTERS)
    group, department = source.by_department("u.")
    sql = (
        f"INSERT INTO {_table(ReferralFlowFact)} (span, day, sender_id, receiver_id, department, "
        f"{', '.join(COUNTERS)}) SELECT %s, u.d, u.sender_organisation_id, "
        f"u.receiver_organisation_id, {department}, {sums} FROM ("
        + " UNION ALL ".join(parts)
        + f") u GROUP BY u.d, u.sender_organisation_id, u.receiver_organisation_id, {group}"
        + source.order("u.d", "u.")
    )
    return _execute(sql, [Span.DAY, *params])


def _insert_profiles(source, start, end):
    written = 0
    table = _table(ReferralProfileFact)
    group, department = source.by_department()
    for side, org_field in (
        (Side.SENDER, "sender_organisation_id"),
        (Side.RECEIVER, "receiver_organisation_id"),
    ):
        for dimension in ProfileDimension:
            name = "pstatus" if dimension == ProfileDimension.PERSON_STATUS else "age_band"
            sql = (
                f"INSERT INTO {table} (span, day, organisation_id, side, department, dimension, "
                f"value, count) SELECT %s, ds, {org_field}, %s, {department}, %s, "
                f"{source.value(name)}, COUNT(*) FROM {SOURCE} WHERE ds >= %s AND ds <= %s "
                f"GROUP BY ds, {org_field}, {source.keys(name)}, {group}{source.order('ds')}"
            )
            written += _execute(sql, [Span.DAY, side, dimension, start, end])
    return written


def _insert_reasons(source, start, end):
    written = 0
    group, department = source.by_department()
    for kind, status, code_field in (
        (ReasonKind.REFUSAL, "refused", "refusal_reason"),
        (ReasonKind.OUTCOME, "closed", "outcome"),
    ):
        sql = (
            f"INSERT INTO {_table(ReferralReasonFact)} (span, day, receiver_id, department, "
            f"kind, code, count) SELECT %s, de, receiver_organisation_id, {department}, %s, "
            f"{source.value(code_field)}, COUNT(*) FROM {SOURCE} WHERE de >= %s AND de <= %s "
            f"AND {source.among('status', [status])} "
            f"GROUP BY de, receiver_organisation_id, {source.keys(code_field)}, {group}"
            f"{source.order('de')}"
        )
        written += _execute(sql, [Span.DAY, kind, start, end])
    return written


def _insert_delays(source, start, end):
    written = 0
    calendar = _table(BusinessDay)
    gap = "(ce.ordinal - cs.ordinal)"
    bucket = f"CASE WHEN {gap} < 0 THEN 0 WHEN {gap} > {DELAY_CAP} THEN {DELAY_CAP} ELSE {gap} END"
    department = source.keys("department")
    group, department_out = source.by_department("g.")
    for measure, column in ((DelayMeasure.RECEIVED, "dr"), (DelayMeasure.ACCEPTED, "da")):
        sql = (
            f"INSERT INTO {_table(ReferralDelayFact)} (span, day, receiver_id, department, "
            f"measure, business_days, count) SELECT %s, g.d, g.receiver_organisation_id, "
            f"{department_out}, %s, {bucket}, SUM(g.n) FROM ("
            f"SELECT {column} AS d, ds AS s, receiver_organisation_id, {department}, "
            f"COUNT(*) AS n FROM {SOURCE} WHERE {column} >= %s AND {column} <= %s "
            f"GROUP BY {column}, ds, receiver_organisation_id, {department}) g "
            f"JOIN {calendar} ce ON ce.day = g.d JOIN {calendar} cs ON cs.day = g.s "
            f"GROUP BY g.d, g.receiver_organisation_id, {bucket}, {group}"
            f"{source.order('g.d', 'g.')}"
        )
        written += _execute(sql, [Span.DAY, measure, start, end])
    return written


def calendar_ensure(first, last):
    """Make the calendar cover [first, last]; ordinals restart from its first day."""
    low = BusinessDay.objects.order_by("day").values_list("day", flat=True).first()
    high = BusinessDay.objects.order_by("-day").values_list("day", flat=True).first()
    if low is not None and low <= first and high >= last:
        return
    first = min(first, low) if low else first
    last = max(last, high) if high else last
    BusinessDay.objects.all().delete()
    rows, ordinal, day = [], 0, first
    while day <= last:
        ordinal += is_business_day(day)
        rows.append(BusinessDay(day=day, ordinal=ordinal))
        day += timedelta(days=1)
    BusinessDay.objects.bulk_create(rows, batch_size=2000)


# Per fact model: the dimension columns (besides span/day) and the counters summed into months.
_MONTH_SHAPES = {
    ReferralFlowFact: (("sender_id", "receiver_id", "department"), tuple(COUNTERS)),
    ReferralProfileFact: (
        ("organisation_id", "side", "department", "dimension", "value"),
        ("count",),
    ),
    ReferralReasonFact: (("receiver_id", "department", "kind", "code"), ("count",)),
    ReferralDelayFact: (("receiver_id", "department", "measure", "business_days"), ("count",)),
}


def _insert_all_departments(start, end):
    """The "*" rows: each day row summed over departments (what unfiltered dashboards read)."""
    written = 0
    for model, (dims, counters) in _MONTH_SHAPES.items():
        others = [d for d in dims if d != "department"]
        columns = ", ".join([*others, *counters])
        sums = ", ".join([*others, *(f"SUM({c})" for c in counters)])
        written += _execute(
            f"INSERT INTO {_table(model)} (span, day, department, {columns}) "
            f"SELECT span, day, %s, {sums} FROM {_table(model)} "
            f"WHERE span = %s AND day >= %s AND day <= %s AND department <> %s "
            f"GROUP BY span, day, {', '.join(others)}",
            [ALL_DEPARTMENTS, Span.DAY, start, end, ALL_DEPARTMENTS],
        )
    return written


def _bulk_begin():
    """Empty the fact tables and drop their secondary indexes; returns how to restore them."""
    restore = []
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(_table(model) for model in FACT_MODELS) + " RESTART IDENTITY"
        )
        for model in FACT_MODELS:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname <> ALL(%s) AND indexname NOT LIKE %s",
                [table, [name for name, _ in constraints], "%pkey"],
            )
            indexes = cursor.fetchall()
            quoted = connection.ops.quote_name(table)
            for name, definition in constraints:
                cursor.execute(
                    f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )
                restore.append(
                    f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} "
                    f"{definition}"
                )
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                restore.append(definition)
    return restore


def _bulk_end(restore):
    """Build the dropped indexes again (one sort each) and refresh the planner's statistics."""
    _execute("SET LOCAL maintenance_work_mem = '512MB'", [])
    for statement in restore:
        _execute(statement, [])
    for model in FACT_MODELS:
        _execute(f"ANALYZE {_table(model)}", [])


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _rebuild_months(first_month, last_month, *, empty=False):
    """The month rows of [first_month, last_month], summed from the day rows (already written,
    "*" included); `empty`: the tables hold no month row yet (nothing to delete)."""
    following = _next_month(last_month)
    for model, (dims, counters) in _MONTH_SHAPES.items():
        if not empty:
            model.objects.filter(span=Span.MONTH, day__gte=first_month, day__lt=following).delete()
        queryset = (
            model.objects.filter(span=Span.DAY, day__gte=first_month, day__lt=following)
            .order_by()
            .annotate(m=TruncMonth("day"))
            .values("m", *dims)
            .annotate(**{f"t_{c}": Sum(c) for c in counters})
        )
        sub, params = _sql(queryset)
        columns = ", ".join([*dims, *counters])
        selected = ", ".join([*(f"g.{d}" for d in dims), *(f"g.t_{c}" for c in counters)])
        _execute(
            f"INSERT INTO {_table(model)} (span, day, {columns}) "
            # Each department's month rows together (what a dashboard over a year reads).
            f"SELECT %s, g.m, {selected} FROM ({sub}) g ORDER BY g.department, g.m",
            [Span.MONTH, *params],
        )


@transaction.atomic
def rollups_rebuild(*, start=None, end=None, actor=None):
    """Recompute the roll-ups of [start, end] (default: every day since the first referral).

    Returns the number of day rows written. Idempotent; concurrent calls wait for each other.
    """
    RollupState.objects.get_or_create(id=1)
    state = RollupState.objects.select_for_update().get(id=1)
    today = timezone.localdate()
    first = _referrals().aggregate(first=Min("sent_at"))["first"]
    first_day = timezone.localtime(first).date() if first else today
    everything = start is None and end is None
    start = start or first_day
    end = end or today
    if end < start:
        start, end = end, start
    calendar_ensure(min(start, first_day) - timedelta(days=1), max(end, today) + timedelta(
        days=CALENDAR_MARGIN_DAYS))  # fmt: skip
    if connection.vendor == "postgresql":
        # Large group-bys in memory rather than spilled to disk, for this transaction only.
        _execute("SET LOCAL work_mem = '256MB'", [])
    # Everything: referrals deleted since (or dated before the first one left) leave no trace.
    bulk = everything and connection.vendor == "postgresql"
    restore = _bulk_begin() if bulk else None
    for model in FACT_MODELS:
        if everything and not bulk:
            model.objects.all().delete()
        elif not everything:
            model.objects.filter(span=Span.DAY, day__gte=start, day__lte=end).delete()
    source = _source_create(start, end)
    written = sum(
        insert(source, start, end)
        for insert in (_insert_flows, _insert_profiles, _insert_reasons, _insert_delays)
    )
    _source_drop()
    if not source.coded:
        _insert_all_departments(start, end)
    _rebuild_months(_month_start(start), _month_start(end), empty=bulk)
    if bulk:
        _bulk_end(restore)
    state.rebuilt_at = timezone.now()
    state.rebuilt_from = start
    state.rebuilt_to = end
    state.save()
    if actor is not None:
        audit_log(
            actor=actor,
            action="indicators.rollups.rebuilt",
            data={"from": start.isoformat(), "to": end.isoformat(), "rows": written},
        )
    return written


def rollups_rebuild_recent():
    """What the worker runs: yesterday and today (events of older days never change).

    After a pause of the worker it starts from the last day it covered, so nothing is missed;
    before any rebuild it rebuilds everything.
    """
    today = timezone.localdate()
    state = RollupState.objects.filter(id=1).first()
    if state is None or state.rebuilt_to is None:
        return rollups_rebuild()
    return rollups_rebuild(start=min(today - timedelta(days=1), state.rebuilt_to), end=today)
