"""The worker's roll-up refresh (yesterday and today) over a large referral table, with and
without an index on each event date of the referrals (what the refresh filters on).

Run after bench/indicators.py has filled the database (PostgreSQL):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_bench_indicators \\
    .venv/bin/python bench/indicators_refresh.py
The indexes are created for the second measure and dropped afterwards (bench database only).
"""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from maillage.core.scoping import scopes_disable_here  # noqa: E402

# A bench reads across organisations, as the worker and the commands do.
scopes_disable_here()

from django.db import connection  # noqa: E402

from maillage.indicators.services import rollups_rebuild_recent  # noqa: E402
from maillage.referrals.models import Referral  # noqa: E402

FIELDS = ("sent_at", "received_at", "accepted_at", "ended_at")


def measure(label, repeat=3):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        rollups_rebuild_recent()
        times.append(time.perf_counter() - began)
    print(f"{label} : médiane {statistics.median(times):.1f} s {[round(t, 1) for t in times]}")
    return statistics.median(times)


def main():
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL seulement (DATABASE_URL=postgres://…).")
    print(f"{Referral.objects.count():,} orientations")
    without = measure("rafraîchissement sans index sur les dates d'évènement")
    with connection.cursor() as cursor:
        for field in FIELDS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS bench_ref_{field} ON referrals_referral ({field})"
            )
        cursor.execute("ANALYZE referrals_referral")
    try:
        indexed = measure("rafraîchissement avec un index par date d'évènement")
    finally:
        with connection.cursor() as cursor:
            for field in FIELDS:
                cursor.execute(f"DROP INDEX IF EXISTS bench_ref_{field}")
    print(f"refresh_s={without:.1f} refresh_indexed_s={indexed:.1f} ratio={without / indexed:.0f}")


if __name__ == "__main__":
    main()
