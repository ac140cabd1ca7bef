"""Seats reserved per operator hold when many counsellors enrol at the same moment.

Each thread has its own database connection. PostgreSQL serialises them on the event row
(SELECT … FOR UPDATE). SQLite serialises them on its write lock (BEGIN IMMEDIATE + busy
timeout, from settings): the test database of pytest-django is an in-memory shared-cache
database whose table locks fail at once instead of waiting, so on SQLite the same scenario runs
in a subprocess against a real database file, with the project's own settings (its tables
made from the models, which is what the scenario needs, in 2 s instead of 15 s of migrations).
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from maillage.events.enums import RegistrationStatus

RS = RegistrationStatus
ROOT = Path(__file__).resolve().parents[2]


def _enrol_all_at_once(session, memberships):
    from maillage.core.scoping import scope
    from maillage.training.services import sessions as services

    barrier = threading.Barrier(len(memberships))
    errors = []

    def enrol(membership):
        try:
            barrier.wait()
            # Each thread reads as its member's organisation, as a request does.
            with scope(organisation=membership.organisation):
                services.enrolment_create(
                    actor=membership.user, membership=membership, session=session
                )
        except Exception as exc:  # collected and asserted: a lost enrolment is a bug
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(m,)) for m in memberships]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _counts(session, organisations):
    from maillage.events.models import Registration

    registrations = Registration.objects.filter(event=session.event)
    return {
        **{
            org.name: registrations.filter(sent_by_organisation=org, status=RS.CONFIRMED).count()
            for org in organisations
        },
        "total": registrations.count(),
        "confirmed": registrations.filter(status=RS.CONFIRMED).count(),
        "waitlisted": registrations.filter(status=RS.WAITLISTED).count(),
    }


def scenario_strict_quotas():
    """Every seat reserved: each quota is a ceiling for its operator."""
    from tests.factories import MembershipFactory, OrganisationFactory
    from tests.training.factories import make_session

    afdas, cheops, arml = (OrganisationFactory(name=n) for n in ("Afdas", "Cheops", "ARML"))
    session = make_session(capacity=5, quotas={afdas: 3, cheops: 2})
    crowd = (
        [MembershipFactory(organisation=afdas) for _ in range(6)]
        + [MembershipFactory(organisation=cheops) for _ in range(4)]
        + [MembershipFactory(organisation=arml) for _ in range(2)]
    )
    errors = _enrol_all_at_once(session, crowd)
    return {"errors": errors, **_counts(session, (afdas, cheops, arml))}


def scenario_reserved_seats_kept():
    """Reserved seats stay for their operator while another floods the open seats."""
    from tests.factories import MembershipFactory, OrganisationFactory
    from tests.training.factories import make_session

    afdas, cheops = OrganisationFactory(name="Afdas"), OrganisationFactory(name="Cheops")
    session = make_session(capacity=4, quotas={cheops: 2})
    errors = _enrol_all_at_once(session, [MembershipFactory(organisation=afdas) for _ in range(6)])
    errors += _enrol_all_at_once(
        session, [MembershipFactory(organisation=cheops) for _ in range(3)]
    )
    return {"errors": errors, **_counts(session, (afdas, cheops))}


def scenario_quota_is_a_ceiling():
    """Open seats remain, yet an operator that used its quota waits: the quota is a ceiling."""
    from tests.factories import MembershipFactory, OrganisationFactory
    from tests.training.factories import make_session

    afdas, arml = OrganisationFactory(name="Afdas"), OrganisationFactory(name="ARML")
    session = make_session(capacity=6, quotas={afdas: 2})
    crowd = [MembershipFactory(organisation=afdas) for _ in range(4)] + [
        MembershipFactory(organisation=arml) for _ in range(2)
    ]
    errors = _enrol_all_at_once(session, crowd)
    return {"errors": errors, **_counts(session, (afdas, arml))}


SCENARIOS = (
    "scenario_strict_quotas",
    "scenario_reserved_seats_kept",
    "scenario_quota_is_a_ceiling",
)
SUBPROCESS = """
import django, json
django.setup()
from maillage.core.scoping import scopes_disable_here
scopes_disable_here()  # the scenario's own checks read across organisations, as the tests do
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
call_command("migrate", run_syncdb=True, verbosity=0)
from tests.training import test_quotas_concurrency as module
print(json.dumps({name: getattr(module, name)() for name in module.SCENARIOS}))
"""


@pytest.fixture(scope="module")
def sqlite_file_results(tmp_path_factory):
    """Both scenarios, run once in a subprocess on a SQLite file (SQLite only)."""
    folder = tmp_path_factory.mktemp("concurrency")
    env = {
        **os.environ,
        "MAILLAGE_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'concurrency.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", SUBPROCESS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def run_scenario(request):
    def run(name):
        if connection.vendor == "sqlite":
            return request.getfixturevalue("sqlite_file_results")[name]
        return globals()[name]()

    return run


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_quotas_hold_under_simultaneous_enrolments(run_scenario):
    counts = run_scenario("scenario_strict_quotas")
    assert counts["errors"] == []
    assert (counts["Afdas"], counts["Cheops"], counts["ARML"]) == (3, 2, 0)
    assert (counts["total"], counts["confirmed"], counts["waitlisted"]) == (12, 5, 7)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_reserved_seats_stay_for_their_operator_under_a_flood(run_scenario):
    counts = run_scenario("scenario_reserved_seats_kept")
    assert counts["errors"] == []
    assert counts["Afdas"] == 2  # the two open seats only
    assert counts["Cheops"] == 2  # its reserved seats were still there
    assert (counts["confirmed"], counts["waitlisted"]) == (4, 5)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_an_operator_never_goes_beyond_its_quota_even_with_open_seats(run_scenario):
    counts = run_scenario("scenario_quota_is_a_ceiling")
    assert counts["errors"] == []
    assert (counts["Afdas"], counts["ARML"]) == (2, 2)
    assert (counts["confirmed"], counts["waitlisted"]) == (4, 2)
