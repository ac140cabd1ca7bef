"""Benchmark: the governance loop at scale — reminders, overdue lists, the actions API, agendas.

    .venv/bin/python bench/governance.py [--actions 20000] [--database-url URL]

Default database: a fresh SQLite file under /tmp (set --database-url to a PostgreSQL database
that may be dropped, e.g. postgres://postgres@127.0.0.1:5432/maillage_governance_bench).
Builds 2 committees, 24 owner organisations, `--actions` actions (every state, due dates spread
over ±1 year), then measures, each against the baseline it names:
  1. the daily reminders job, first run vs a second (idempotent) run;
  2. overdue actions grouped per owner: the selector (one query) vs a Python loop over every
     action (the naive baseline);
  3. GET /api/v1/actions?status=overdue (a page of 100 rows at most): time and query count;
  4. pre-filling a new meeting's agenda from the committee's open actions;
  5. the meeting page with its pre-filled agenda: time and query count.
Bounded: fixed data sizes, no network, a single process.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The API pages every list (100 rows at most a page): the first, largest page is measured.
ACTIONS_URL = "/api/v1/actions?status=overdue&page_size=100"
sys.path.insert(0, str(ROOT / "src"))


def _setup_django(database_url, var_dir):
    os.environ["DATABASE_URL"] = database_url
    os.environ["MAILLAGE_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "maillage.settings"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()


def _timed(fn, repeat=1):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def _queries(fn):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def build(actions_count, seed=2019):
    from django.utils import timezone

    from maillage.accounts.enums import Role
    from maillage.accounts.models import Membership, User
    from maillage.governance.enums import ActionStatus, MemberRole
    from maillage.governance.models import Action, Committee, CommitteeMember
    from maillage.partners.models import Convention, Organisation

    rng = random.Random(seed)
    convention = Convention.objects.create(
        slug="bench",
        title="Convention bench",
        region_code="11",
        signed_on=date(2019, 2, 28),
        valid_from=date(2019, 2, 28),
    )
    committees = [
        Committee.objects.create(
            slug=f"bench-{code.lower()}",
            name=f"Bench {code}",
            code=code,
            kind=kind,
            convention=convention,
        )
        for code, kind in (("COPIL", "steering"), ("CTR", "technical"))
    ]
    region = Organisation.objects.create(slug="bench-region", name="Région", kind="coordination")
    # No password: hashing 25 of them would dominate the set-up time.
    secretary = User.objects.create(email="secretariat@bench.test")
    coordinator = Membership.objects.create(
        user=secretary, organisation=region, role=Role.COORDINATOR
    )
    owners = []
    for index in range(24):
        organisation = Organisation.objects.create(
            slug=f"bench-op-{index}", name=f"Opérateur {index:02d}", kind="operator"
        )
        user = User.objects.create(email=f"membre{index}@bench.test")
        Membership.objects.create(user=user, organisation=organisation, role=Role.MANAGER)
        for committee in committees:
            CommitteeMember.objects.create(
                committee=committee,
                user=user,
                organisation=organisation,
                role=MemberRole.MEMBER,
                started_on=date(2019, 2, 28),
            )
        owners.append(organisation)
    for committee in committees:
        CommitteeMember.objects.create(
            committee=committee,
            user=secretary,
            organisation=region,
            role=MemberRole.SECRETARY,
            started_on=date(2019, 2, 28),
        )
    today = timezone.localdate()
    statuses = (
        [ActionStatus.OPEN] * 4
        + [ActionStatus.IN_PROGRESS] * 3
        + [ActionStatus.DONE] * 2
        + [ActionStatus.DROPPED]
    )
    rows = []
    for index in range(actions_count):
        status = rng.choice(statuses)
        rows.append(
            Action(
                committee=committees[index % 2],
                title=f"Action {index}",
                owner_organisation=rng.choice(owners),
                due_on=today + timedelta(days=rng.randint(-365, 365)),
                status=status,
                progress=100 if status == ActionStatus.DONE else rng.randint(0, 90),
            )
        )
    Action.objects.bulk_create(rows, batch_size=2000)
    return committees, secretary, coordinator


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=20000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="maillage-governance-bench-"))
    database_url = args.database_url or f"sqlite:///{var_dir / 'bench.sqlite3'}"
    _setup_django(database_url, var_dir)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from maillage.accounts.models import ApiToken, hash_token
    from maillage.governance import selectors, services
    from maillage.governance.models import Action, Meeting
    from maillage.governance.reminders import action_reminders_send

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    committees, secretary, coordinator = build(args.actions)
    print(
        f"data: {args.actions} actions, 2 committees, 24 owners "
        f"({time.perf_counter() - started:.1f} s to build) on {connection.vendor}"
    )
    today = timezone.localdate()

    # 1. Reminders: first run sends, the second finds nothing to do.
    first, (soon, overdue) = _timed(lambda: action_reminders_send(today))
    second, again = _timed(lambda: action_reminders_send(today))
    assert again == (0, 0)
    print(
        f"1. reminders first run: {first:.2f} s for {soon} due-soon + {overdue} overdue; "
        f"second run: {second:.2f} s, nothing sent (x{first / second:.1f} faster than the first)"
    )

    # 2. Overdue grouped per owner: selector vs naive loop.
    visible = selectors.actions_visible_to(secretary, coordinator)

    def naive():
        groups = {}
        for action in Action.objects.all():
            if action.is_overdue(today):
                groups.setdefault(action.owner_organisation.name, []).append(action)
        return groups

    smart, grouped = _timed(lambda: selectors.overdue_by_owner(visible, today), repeat=3)
    slow, naive_groups = _timed(naive)
    assert sum(len(a) for _, a in grouped) == sum(len(a) for a in naive_groups.values())
    queries = _queries(lambda: selectors.overdue_by_owner(visible, today))
    print(
        f"2. overdue per owner: selector {smart * 1000:.0f} ms ({queries} query) vs naive loop "
        f"{slow * 1000:.0f} ms (x{slow / smart:.1f})"
    )

    # 3. The API, with a real token.
    raw = "bench-token-governance"
    ApiToken.objects.create(
        user=secretary,
        organisation=coordinator.organisation,
        prefix=raw[:8],
        key_hash=hash_token(raw),
    )
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}
    api_time, response = _timed(lambda: client.get(ACTIONS_URL, headers=headers), repeat=3)
    assert response.status_code == 200
    api_queries = _queries(lambda: client.get(ACTIONS_URL, headers=headers))
    print(
        f"3. GET {ACTIONS_URL}: {api_time * 1000:.0f} ms for "
        f"{len(response.json()['results'])} rows of {response.json()['count']}, "
        f"{api_queries} queries"
    )

    # 4. Pre-filling a new meeting's agenda from the open actions (no emails: direct prefill).
    committee = committees[0]
    open_count = Action.objects.open().filter(committee=committee).count()
    meeting = Meeting.objects.create(
        committee=committee,
        title="Bench",
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=2),
        location="Salle",
    )
    prefill, created = _timed(lambda: services.agenda_prefill(meeting))
    print(f"4. agenda pre-fill: {prefill:.2f} s for {created} items ({open_count} open actions)")

    # 5. The meeting page with that agenda.
    client.force_login(secretary)
    page_time, page = _timed(lambda: client.get(f"/gouvernance/reunions/{meeting.pk}/"), repeat=3)
    assert page.status_code == 200
    page_queries = _queries(lambda: client.get(f"/gouvernance/reunions/{meeting.pk}/"))
    print(
        f"5. meeting page with {created} agenda items: {page_time * 1000:.0f} ms, "
        f"{page_queries} queries"
    )
    if not args.database_url:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
