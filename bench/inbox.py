"""The received inbox at scale: first page, a filtered page and a searched page.

Run (PostgreSQL; the referrals table is emptied and refilled unless --skip-load):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_bench_inbox \\
    .venv/bin/python bench/inbox.py --referrals 1000000 [--repeat 25] [--skip-load]

Each page is the real view (`/orientations/`, signed-in counsellor of the operator receiving the
most referrals) through Django's test client: URL resolution, middleware, selectors, template.
For each page: the median and p95 wall time over --repeat runs (after one warm-up run) and the
number of SQL queries. The target (issue 4): ≤ 10 queries and ≤ 50 ms median per page.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
os.environ.setdefault("DEBUG", "0")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maillage.accounts.models import Membership, User  # noqa: E402
from maillage.core.reference import reference_load_all  # noqa: E402
from maillage.referrals.models import Referral  # noqa: E402
from maillage.referrals.seed import seed_referrals  # noqa: E402


def out(text):
    print(text, flush=True)


def measure(client, url, repeat):
    client.get(url)  # warm-up (template loading, plan caching)
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    rows = response.content.decode().count('<td><a href="/orientations/')
    times.sort()
    # The same SQL replayed alone: the part of the page that grows with the volume.
    sql_times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            began = time.perf_counter()
            for query in queries.captured_queries:
                cursor.execute(query["sql"])
                cursor.fetchall()
            sql_times.append((time.perf_counter() - began) * 1000)
    return (
        statistics.median(times),
        times[int(len(times) * 0.95) - 1],
        len(queries),
        rows,
        statistics.median(sql_times),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Ce banc se lance sur PostgreSQL (DATABASE_URL=postgres://…).")
    call_command("migrate", interactive=False, verbosity=0)
    reference_load_all()
    if not args.skip_load:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE referrals_referral CASCADE")
        seconds = seed_referrals(args.referrals, seed=args.seed, years=2)
        out(f"chargement : {args.referrals:,} orientations en {seconds:.0f} s (COPY + index)")
        # What autovacuum does after a bulk load: the visibility map lets counts use the index.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE referrals_referral")
    total = Referral.objects.count()
    top = (
        Referral.objects.values("receiver_organisation")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    organisation_id, received = top["receiver_organisation"], top["n"]
    user, _ = User.objects.get_or_create(email="bench@inbox.test")
    Membership.objects.get_or_create(
        user=user, organisation_id=organisation_id, defaults={"role": "counsellor"}
    )
    sample = Referral.objects.filter(receiver_organisation_id=organisation_id).order_by("?")[:1]
    surname = sample[0].last_name
    client = Client()
    client.force_login(user)
    pages = [
        ("première page", "/orientations/?box=received"),
        (
            "page filtrée (état reçue, 12 derniers mois, tri par ancienneté)",
            "/orientations/?box=received&status=received&since=2025-12-01&sort=oldest",
        ),
        (f"recherche « {surname.lower()} »", f"/orientations/?box=received&q={surname.lower()}"),
        ("page 40 (offset 975)", "/orientations/?box=received&page=40"),
    ]
    out(f"{total:,} orientations ; boîte reçue de l'opérateur le plus sollicité : {received:,}")
    results = []
    for label, url in pages:
        median, p95, queries, rows, sql = measure(client, url, args.repeat)
        results.append((label, median, queries, sql))
        out(f"- {label} : médiane {median:.1f} ms, p95 {p95:.1f} ms, {queries} requêtes SQL "
            f"(SQL seul : médiane {sql:.1f} ms), {rows} lignes")  # fmt: skip
    worst = max(r[1] for r in results)
    most = max(r[2] for r in results)
    worst_sql = max(r[3] for r in results)
    load = os.getloadavg()[0]
    out(f"inbox_referrals={total} worst_median_ms={worst:.1f} worst_sql_ms={worst_sql:.1f} "
        f"max_queries={most} loadavg={load:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
