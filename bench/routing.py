"""Routing engine throughput against a naive engine that reads the rules from the database.

Run: .venv/bin/python bench/routing.py [--profiles 100000] [--naive-sample 2000]
(uses DATABASE_URL, else a fresh SQLite database in a temporary MAILLAGE_VAR_DIR).
The last line is `decisions_per_second=<n> naive_per_second=<n> ratio=<r>`.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date

if "DATABASE_URL" not in os.environ:
    os.environ.setdefault("MAILLAGE_VAR_DIR", tempfile.mkdtemp(prefix="maillage-bench-routing-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from maillage.core.reference import reference_load_all  # noqa: E402
from maillage.routing import engine, ruleset  # noqa: E402
from maillage.routing.models import Rule, RuleList  # noqa: E402
from maillage.routing.profile import STATUSES, Profile  # noqa: E402

DEPARTMENTS = ["75", "77", "78", "91", "92", "93", "94", "95", "13", "69"]
GROUPS = [None] * 6 + ["credit_agricole", "lcl", "sncf", "ratp", "edf", "msa"]
IDCC = [None] * 6 + ["1486", "29", "413", "2378", "1285", "2941", "7501", "16"]
DAYS = [date(2019, 6, 1), date(2019, 12, 31), date(2020, 1, 1), date(2024, 3, 15)]


def mixed_profiles(count, seed=42):
    rng = random.Random(seed)
    statuses = list(STATUSES)
    return [
        (
            Profile(
                department=rng.choice(DEPARTMENTS),
                status=rng.choice(statuses),
                age=rng.choice([None, rng.randint(14, 70)]),
                disability=rng.random() < 0.1,
                cadre=rng.random() < 0.2,
                temp_worker=rng.random() < 0.1,
                employer_group=rng.choice(GROUPS),
                idcc=rng.choice(IDCC),
            ),
            rng.choice(DAYS),
        )
        for _ in range(count)
    ]


def _holds(condition, profile, lists):
    if "any" in condition:
        return any(_holds(c, profile, lists) for c in condition["any"])
    value, op, expected = getattr(profile, condition["field"]), condition["op"], condition["value"]
    if op == "is":
        return value is expected
    if op == "between":
        low, high = expected
        return (
            value is not None and (low is None or low <= value) and (high is None or value <= high)
        )
    if op in ("in_list", "not_in_list"):
        keys = [expected] if isinstance(expected, str) else expected
        members = {i["value"] for key in keys for i in lists.get(key, [])}
        return (value in members) == (op == "in_list")
    return (value in expected) == (op == "in")


def naive_decide(profile, on):
    """What a first version would do: read the rules from the database for every decision."""
    lists = {item.key: item.items for item in RuleList.objects.all()}
    rules = [
        r
        for r in Rule.objects.select_related("target").order_by("order", "rule_id")
        if (r.valid_from is None or r.valid_from <= on)
        and (r.valid_until is None or on <= r.valid_until)
    ]
    matching = [r for r in rules if all(_holds(c, profile, lists) for c in r.conditions)]
    chosen = next((r for r in matching if r.kind in ("primary", "exclusive")), None)
    if chosen is None:
        chosen = next(r for r in rules if r.kind == "fallback")
    alternatives = []
    if chosen.kind != "exclusive":
        for r in matching:
            slug = r.target.slug
            if (
                r is not chosen
                and r.kind not in ("fallback", "exclusive")
                and slug != chosen.target.slug
                and slug not in alternatives
            ):
                alternatives.append(slug)
    # The operator as it was named on the date (Pôle emploi in 2023, France Travail in 2024).
    name = chosen.target.name_on(on)
    explanation = ruleset.explain(chosen.explanation, name)
    return engine.Decision(chosen.target.slug, alternatives, chosen.rule_id, explanation, name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Rule.objects.exists():
        reference_load_all()
    engine.invalidate()
    cases = mixed_profiles(args.profiles)
    decide = engine.decide
    decide(*cases[0])  # compile once, as a running process would have done already

    # Best of several runs for both (the machine is shared: the best run is the least disturbed).
    elapsed = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for profile, on in cases:
            decide(profile, on)
        elapsed = min(elapsed, time.perf_counter() - start)
    per_second = args.profiles / elapsed

    sample = cases[: args.naive_sample]
    naive_elapsed = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        naive = [naive_decide(profile, on) for profile, on in sample]
        naive_elapsed = min(naive_elapsed, time.perf_counter() - start)
    naive_per_second = len(sample) / naive_elapsed

    mismatches = sum(n != decide(p, on) for n, (p, on) in zip(naive, sample, strict=False))
    print(
        f"engine: {args.profiles} mixed profiles over {len(DAYS)} dates in {elapsed:.3f} s "
        f"(best of {args.repeat})"
    )
    print(
        f"naive (2 queries per decision): {len(sample)} decisions in {naive_elapsed:.3f} s "
        "(best of 2)"
    )
    print(f"database: {django.db.connection.vendor}; answers differing from naive: {mismatches}")
    if mismatches:
        sys.exit("the engine and the naive baseline disagree")
    print(
        f"decisions_per_second={per_second:.0f} naive_per_second={naive_per_second:.0f} "
        f"ratio={per_second / naive_per_second:.1f}"
    )


if __name__ == "__main__":
    main()
