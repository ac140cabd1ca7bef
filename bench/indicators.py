"""Indicators at scale: the dashboard through roll-ups against direct aggregation, same run,
and the peak memory of a 1,000,000-row XLSX export.

Run (PostgreSQL only; the database is emptied of referrals and refilled):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_bench_indicators \\
    .venv/bin/python bench/indicators.py --referrals 5000000 [--years 4] [--repeat 7] [--skip-load]

Steps: migrate and load the reference data; generate the referrals with COPY (deterministic,
`--seed`), consistent with the referral workflow (dates in order, reasons and outcomes set);
`rollups_rebuild()` over everything (timed); then, for the partnership's dashboard over the
last 12 months (partial months at both ends) and an operator manager's dashboard, the median
time of every referral table of the page read from the roll-ups, against the same figures
aggregated directly from the referrals. Last, in a child process, the daily roll-up rows
streamed into an XLSX workbook (openpyxl write-only), 1,000,000 rows, with its peak RSS.
The last line sums up: `rollup_ms=… direct_ms=… ratio=… export_rows=… export_peak_mb=…`.
"""

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from maillage.core.scoping import scopes_disable_here  # noqa: E402

# A bench reads across organisations, as the worker and the commands do.
scopes_disable_here()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.db.models.fields.json import KeyTextTransform  # noqa: E402
from django.db.models.functions import TruncDate, TruncMonth  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.core.reference import reference_load_all  # noqa: E402
from maillage.indicators.models import BusinessDay  # noqa: E402
from maillage.indicators.periods import Period, named_period  # noqa: E402
from maillage.indicators.selectors import referrals as dashboard  # noqa: E402
from maillage.indicators.selectors.scope import Scope  # noqa: E402
from maillage.indicators.services import rollups_rebuild  # noqa: E402
from maillage.partners.models import Organisation  # noqa: E402
from maillage.referrals.enums import Status  # noqa: E402
from maillage.referrals.models import Referral  # noqa: E402
from maillage.referrals.seed import STATE_WEIGHTS, STATES, lifecycle  # noqa: E402

DEPARTMENTS = ["75", "93", "92", "94", "91", "95", "78", "77"]
DEPARTMENT_WEIGHTS = [22, 16, 14, 12, 10, 10, 9, 7]
AGE_BANDS = ["-26", "26-34", "35-44", "45-54", "55+", ""]
PERSON_STATUSES = ["employed_private", "job_seeker", "self_employed", "employed_public", "other"]


def out(text):
    print(text, flush=True)


def _ts(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


def generate(count, *, years, seed, now):
    """COPY `count` referrals, sent over the last `years` years until `now`."""
    rng = random.Random(seed)
    operators = list(
        Organisation.objects.filter(accepts_referrals=True, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if len(operators) < 2:
        raise SystemExit("Il faut au moins deux opérateurs (données de référence).")
    weights = [rng.uniform(0.3, 3.0) for _ in operators]
    span = int(years * 365.25 * 86400)
    start = now - timedelta(seconds=span)
    columns = [
        "sender_organisation_id", "receiver_organisation_id", "status", "first_name",
        "last_name", "need", "search_name", "identity_key", "email_key", "email", "phone",
        "preferred_contact", "department", "age_band", "profile", "decision", "free_choice",
        "consent_method", "consent_given_at", "consent_operators", "duplicate_reason",
        "sent_at", "received_at", "accepted_at", "ended_at", "refusal_reason", "outcome",
        "status_message", "contact_person", "no_contact_reason",
    ]  # fmt: skip
    profiles = {s: json.dumps({"status": s}) for s in PERSON_STATUSES}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY referrals_referral ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for index in range(count):
                sender, receiver = rng.choices(operators, weights, k=2)
                while receiver == sender:
                    receiver = rng.choices(operators, weights)[0]
                sent = start + timedelta(seconds=rng.randrange(span))
                state = rng.choices(STATES, STATE_WEIGHTS)[0]
                # The same lifecycle as `maillage seed`: the workflow's moves and stamps.
                steps = lifecycle(rng, state, sent=sent, now=now)
                received, accepted, ended = (
                    steps["received_at"],
                    steps["accepted_at"],
                    steps["ended_at"],
                )
                stamp = _ts(sent)
                buffer.write(
                    "\t".join(
                        (
                            str(sender),
                            str(receiver),
                            steps["status"],
                            "Prénom",
                            f"Nom{index}",
                            "Besoin",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            rng.choices(DEPARTMENTS, DEPARTMENT_WEIGHTS)[0],
                            rng.choice(AGE_BANDS),
                            profiles[rng.choice(PERSON_STATUSES)],
                            "{}",
                            "f",
                            "in_person",
                            stamp,
                            "[]",
                            "",
                            stamp,
                            _ts(received) if received else "\\N",
                            _ts(accepted) if accepted else "\\N",
                            _ts(ended) if ended else "\\N",
                            steps["refusal_reason"],
                            steps["outcome"],
                            "",
                            "t",
                            "",
                        )
                    )
                    + "\n"
                )
                if index % 20000 == 19999:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                if index % 1_000_000 == 999_999:
                    out(f"  {index + 1:,} orientations copiées")
            copy.write(buffer.getvalue())


def load(count, *, years, seed, now):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef, indexname FROM pg_indexes WHERE tablename = 'referrals_referral' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cursor.fetchall()
        cursor.execute("TRUNCATE referrals_referral CASCADE")
        for _, name in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        # Bulk load: skip the per-row foreign-key triggers (the generator only uses real ids).
        cursor.execute("SET session_replication_role = replica")
    began = time.perf_counter()
    generate(count, years=years, seed=seed, now=now)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        copied = time.perf_counter() - began
        for definition, _ in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE referrals_referral")
    out(f"chargement : {count:,} orientations en {copied:.0f} s (+ index en "
        f"{time.perf_counter() - began - copied:.0f} s)")  # fmt: skip


def _bounds(period):
    tz = timezone.get_current_timezone()
    low = timezone.make_aware(datetime.combine(period.start, datetime.min.time()), tz)
    high = timezone.make_aware(
        datetime.combine(period.end + timedelta(days=1), datetime.min.time()), tz
    )
    return low, high


def direct_dashboard(period, organisation=None):
    """The same figures as the referral dashboard, aggregated from the referrals themselves."""
    low, high = _bounds(period)
    base = Referral.objects.order_by()
    if organisation is not None:
        base = base.filter(
            Q(sender_organisation=organisation) | Q(receiver_organisation=organisation)
        )

    def within(field):
        return base.filter(**{f"{field}__gte": low, f"{field}__lt": high})

    result = {}
    for field in ("sent_at", "received_at", "accepted_at"):
        result[f"monthly_{field}"] = list(
            within(field).annotate(m=TruncMonth(field)).values("m").annotate(n=Count("id"))
        )
    result["monthly_ended"] = list(
        within("ended_at").annotate(m=TruncMonth("ended_at")).values("m", "status")
        .annotate(n=Count("id"))
    )  # fmt: skip
    result["matrix"] = list(
        within("sent_at").values("sender_organisation", "receiver_organisation")
        .annotate(n=Count("id"))
    )  # fmt: skip
    result["accepted_by_receiver"] = list(
        within("accepted_at").values("receiver_organisation").annotate(n=Count("id"))
    )
    result["ended_by_receiver"] = list(
        within("ended_at").values("receiver_organisation", "status").annotate(n=Count("id"))
    )
    result["reasons"] = list(
        within("ended_at").filter(status__in=[Status.REFUSED, Status.CLOSED])
        .values("status", "refusal_reason", "outcome").annotate(n=Count("id"))
    )  # fmt: skip
    # Delays: the database counts business days with the same calendar table as the roll-ups
    # (a fair baseline: no Python loop over dates).
    calendar = BusinessDay._meta.db_table
    for measure in ("received_at", "accepted_at"):
        pairs = (
            within(measure)
            .annotate(d=TruncDate(measure), s=TruncDate("sent_at"))
            .values("receiver_organisation_id", "s", "d")
            .annotate(n=Count("id"))
        )
        sub, params = pairs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT g.receiver_organisation_id, ce.ordinal - cs.ordinal, SUM(g.n) "
                f"FROM ({sub}) g JOIN {calendar} ce ON ce.day = g.d "
                f"JOIN {calendar} cs ON cs.day = g.s GROUP BY 1, 2",
                params,
            )
            histograms = {}
            for receiver, bucket, n in cursor.fetchall():
                histograms.setdefault(receiver, {})[max(bucket, 0)] = int(n)
        result[measure] = {r: dashboard.delay_summary(h) for r, h in histograms.items()}
    result["departments"] = list(within("sent_at").values("department").annotate(n=Count("id")))
    result["ages"] = list(within("sent_at").values("age_band").annotate(n=Count("id")))
    result["statuses"] = list(
        within("sent_at").annotate(st=KeyTextTransform("status", "profile")).values("st")
        .annotate(n=Count("id"))
    )  # fmt: skip
    return result


def rollup_dashboard(scope, period):
    """Exactly what the dashboard page computes (tables, charts, suppression) from roll-ups."""
    return dashboard.dashboard(scope, period, None)


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), times


def export_child(rows_wanted):
    """In a fresh process: stream `rows_wanted` daily roll-up rows into an XLSX file."""
    import itertools
    import tempfile

    from maillage.indicators.exports import write_xlsx
    from maillage.indicators.selectors.daily import daily_flow_rows

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first = Referral.objects.order_by("sent_at").values_list("sent_at", flat=True).first()
    period = Period(timezone.localtime(first).date(), timezone.localdate(), "perso", "tout")
    rows = itertools.islice(daily_flow_rows(Scope(), period, None), rows_wanted + 1)
    began = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        written = write_xlsx(rows, handle, title="Flux journaliers")
        size = handle.tell()
    elapsed = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": written, "seconds": round(elapsed, 1), "peak_mb": round(peak, 1),
                      "baseline_mb": round(baseline, 1), "bytes": size}))  # fmt: skip


def _export_in_child(rows):
    child = subprocess.run(
        [sys.executable, __file__, "--export-child", "--export-rows", str(rows)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    export = json.loads(child.stdout.strip().splitlines()[-1])
    out(
        f"export XLSX : {export['rows']:,} lignes en {export['seconds']} s, "
        f"{export['bytes'] / 1e6:.0f} Mo, pic de mémoire (RSS) {export['peak_mb']} Mo "
        f"(dont {export['baseline_mb']} Mo au démarrage du processus)"
    )
    return export


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=5_000_000)
    parser.add_argument("--years", type=float, default=4)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--direct-repeat", type=int, default=3)
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-load", action="store_true", help="Garder les orientations")
    parser.add_argument("--skip-rebuild", action="store_true", help="Garder les agrégats")
    parser.add_argument("--skip-export", action="store_true", help="Sans l'export XLSX")
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Ce banc d'essai demande PostgreSQL (DATABASE_URL=postgres://…).")
    if args.export_child:
        export_child(args.export_rows)
        return
    call_command("migrate", interactive=False, verbosity=0)
    reference_load_all()
    now = datetime.now(UTC)
    if not args.skip_load:
        load(args.referrals, years=args.years, seed=args.seed, now=now)
    total = Referral.objects.count()
    if not args.skip_rebuild:
        began = time.perf_counter()
        day_rows = rollups_rebuild()
        out(f"reconstruction des agrégats : {day_rows:,} lignes journalières en "
            f"{time.perf_counter() - began:.0f} s pour {total:,} orientations")  # fmt: skip
    with connection.cursor() as cursor:
        for table in ("flowfact", "profilefact", "reasonfact", "delayfact"):
            cursor.execute(f"VACUUM ANALYZE indicators_referral{table}")

    today = timezone.localdate()
    # The default view: the last 12 months, a partial month at each end.
    custom = Period(today - timedelta(days=364), today, "perso", "12 mois")
    manager = Organisation.objects.filter(accepts_referrals=True).order_by("slug").first()
    default = named_period("12m")  # what the page shows first
    # The worst case: a period in the past that starts and ends inside a month (day rows).
    past = Period(today - timedelta(days=500), today - timedelta(days=136), "perso", "passé")
    results = {}
    for label, scope, period in (
        ("partenariat", Scope(), custom),
        ("responsable", Scope(manager), custom),
        ("partenariat, période par défaut", Scope(), default),
        ("partenariat, période passée (deux mois partiels)", Scope(), past),
    ):
        rollup_dashboard(scope, period)  # warm the caches of both paths alike
        rollup_ms, rollup_all = timed(lambda s=scope, p=period: rollup_dashboard(s, p), args.repeat)
        direct_ms, direct_all = timed(
            lambda o=scope.organisation, p=period: direct_dashboard(p, o), args.direct_repeat
        )
        results[label] = (rollup_ms, direct_ms)
        out(
            f"tableau de bord {label} ({period.start} → {period.end}) : roll-ups médiane "
            f"{rollup_ms:.0f} ms {[round(t) for t in rollup_all]}, agrégation directe médiane "
            f"{direct_ms:.0f} ms {[round(t) for t in direct_all]}, rapport "
            f"{direct_ms / rollup_ms:.0f}x"
        )
    export = {"rows": 0, "peak_mb": 0}
    if not args.skip_export:
        export = _export_in_child(args.export_rows)
    rollup_ms, direct_ms = results["partenariat"]
    out(
        f"referrals={total} rollup_ms={rollup_ms:.0f} direct_ms={direct_ms:.0f} "
        f"ratio={direct_ms / rollup_ms:.0f} manager_rollup_ms={results['responsable'][0]:.0f} "
        f"manager_ratio={results['responsable'][1] / results['responsable'][0]:.0f} "
        f"export_rows={export['rows']} export_peak_mb={export['peak_mb']}"
    )


if __name__ == "__main__":
    main()
