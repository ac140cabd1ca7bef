"""Benchmark: French full-text search of the library, and the training matrix, at volume.

    .venv/bin/python bench/training_search.py [--resources 20000] [--attendances 10000]
        [--database-url postgres://postgres@127.0.0.1:5432/maillage_training_bench]

Creates (drops first) the database, migrates, loads `--resources` published resources made
of French domain vocabulary (indexed as the services index them: a stored tsvector with the
`french` configuration and its GIN index on PostgreSQL, the FTS5 table on SQLite), and
`--attendances` attendance records spread over 200 sessions and 12 operators. Then it times:
  - search: `library_search(q=...)`, first page of 20, ranked — against the naive baseline
    `title__icontains | summary__icontains` (which, besides, misses inflected forms);
  - matrix: `training_matrix()` (one query over the records) — against the naive baseline of
    one aggregate query per (host, participants' operator) cell.
Median of repeated runs, in milliseconds. Deterministic data (seeded).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from tempfile import mkdtemp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_DOMAIN = (
    "formation formations conseil conseiller conseillère orientation emploi marché métiers "
    "transition professionnelle reconversion financement compétences jeunes handicap "
    "intérimaires cadres salariés entretien accompagnement outil guide fiche projet "
    "région partenaires immersion stratégie territoire apprentissage validation acquis "
    "expérience bilan mobilité insertion santé social numérique industrie commerce"
)
WORDS = _DOMAIN.split()
SYLLABLES = ["ca", "mi", "lo", "ré", "tu", "pa", "ne", "vo", "si", "gra", "pli", "cor", "man"]
QUERIES = ["formations", "marché emploi", "transition professionnelle", "immersions", "handicap"]


def _prepare_database(url):
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).unlink(missing_ok=True)


def _filler(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _sentence(rng, n):
    # About one word in twenty is domain vocabulary: each query term matches a few per cent
    # of the library, like a real one; the rest is filler from a large made-up vocabulary.
    words = [rng.choice(WORDS) if rng.random() < 0.05 else _filler(rng) for _ in range(n)]
    return " ".join(words).capitalize()


def _median_ms(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=20000)
    parser.add_argument("--attendances", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/maillage_training_bench"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("MAILLAGE_VAR_DIR", mkdtemp(prefix="maillage-training-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "maillage.settings"
    _prepare_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q, Sum
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from maillage.accounts.models import User
    from maillage.events.models import Event, Registration
    from maillage.partners.models import Organisation
    from maillage.training import search
    from maillage.training.models import Resource, ResourceVersion, TrainingSession
    from maillage.training.selectors.library import library_search
    from maillage.training.selectors.matrix import training_matrix

    rng = random.Random(2019)
    operators = [
        Organisation.objects.create(slug=f"op-{i}", name=f"Opérateur {i:02d}", kind="operator")
        for i in range(12)
    ]
    now = timezone.now()

    # --- library --------------------------------------------------------------------------
    started = time.perf_counter()
    resources = [
        Resource(
            title=_sentence(rng, 6),
            summary=_sentence(rng, 40),
            kind="fiche",
            themes=["outils"],
            owner=rng.choice(operators),
            audience="public",
            status="published",
            published_at=now,
        )
        for _ in range(args.resources)
    ]
    Resource.objects.bulk_create(resources, batch_size=2000)
    ResourceVersion.objects.bulk_create(
        [ResourceVersion(resource=r, number=1, url="https://exemple.fr/") for r in resources],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        Resource.objects.update(
            search_vector=SearchVector("title", weight="A", config="french")
            + SearchVector("summary", weight="B", config="french")
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE training_resource")
    else:
        search.rebuild_index(Resource.objects.all())
    load_s = time.perf_counter() - started

    def fulltext(q):
        return lambda: [r.pk for r in library_search(membership=None, q=q)[:20]]

    def naive(q):
        return lambda: [
            r.pk
            for r in Resource.objects.filter(status="published", audience="public")
            .filter(Q(title__icontains=q) | Q(summary__icontains=q))
            .order_by("-published_at", "-id")[:20]
        ]

    print(f"# {connection.vendor}: {args.resources} resources loaded and indexed in {load_s:.1f} s")
    print("| query | matches | full-text ranked, first 20 (ms) | naive icontains (ms) |")
    for q in QUERIES:
        matches = library_search(membership=None, q=q).count()
        ft = _median_ms(fulltext(q), args.runs)
        nv = _median_ms(naive(q), args.runs)
        print(f"| {q} | {matches} | {ft:.1f} | {nv:.1f} |")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT id FROM training_resource WHERE search_vector "
                "@@ websearch_to_tsquery('french', 'transition professionnelle')"
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
        print("GIN index used:", "training_resource_search_gin" in plan)

    # --- matrix ---------------------------------------------------------------------------
    started = time.perf_counter()
    people = User.objects.bulk_create(
        [User(email=f"p{i}@bench.fr", last_name=f"P{i}") for i in range(2000)], batch_size=2000
    )
    member_org = {u.pk: operators[i % 12] for i, u in enumerate(people)}
    sessions = []
    for i in range(200):
        start = now - timedelta(days=rng.randint(1, 365))
        event = Event.objects.create(
            title=f"Session {i}",
            kind="training",
            audience="members",
            status="held",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            venue="Salle",
            capacity=100,
            lead_organisation=operators[i % 12],
        )
        session = TrainingSession.objects.create(
            event=event, theme="outils", hours=Decimal(rng.choice(["2", "3", "3.5", "7"]))
        )
        session.hosts.set(rng.sample(operators, rng.choice([1, 1, 2])))
        sessions.append(session)
    per_session = max(1, args.attendances // len(sessions))
    registrations = []
    for session in sessions:
        for user in rng.sample(people, per_session):
            registrations.append(
                Registration(
                    event_id=session.event_id,
                    status="attended",
                    first_name="P",
                    last_name=user.last_name,
                    email=user.email,
                    user=user,
                    sent_by_organisation=member_org[user.pk],
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)
    print(
        f"# {len(registrations)} attendance records, {len(sessions)} sessions, loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )

    def per_cell():
        cells = {}
        for host in operators:
            for participant in operators:
                cells[(host.pk, participant.pk)] = Registration.objects.filter(
                    status="attended",
                    event__training_session__hosts=host,
                    sent_by_organisation=participant,
                ).aggregate(
                    n=Count("id"),
                    people=Count("user", distinct=True),
                    hours=Sum("event__training_session__hours"),
                )
        return cells

    matrix = training_matrix()
    assert matrix.total.attendances == len(registrations)
    fast = _median_ms(training_matrix, max(3, args.runs // 3))
    slow = _median_ms(per_cell, 3)
    print("| matrix | training_matrix() (ms) | one query per cell, 144 cells (ms) | ratio |")
    print(f"| {len(registrations)} records | {fast:.0f} | {slow:.0f} | {slow / fast:.1f}x |")


if __name__ == "__main__":
    main()
