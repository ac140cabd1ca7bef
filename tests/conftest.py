"""Shared fixtures: reference data, factories' users, a worker run, fast hashing."""

import pytest
from django.core.management import call_command

from maillage.core.reference import reference_load_all
from maillage.core.scoping import scopes_disable_here, unscoped


def pytest_configure(config):
    # Tests read across organisations (factories, fixtures, assertions), like the worker; the
    # requests they make go through `ScopeMiddleware`, which opens the member's own scope as in
    # production. The body of a test marked `scoped` runs with no scope at all (its fixtures
    # still build data across organisations): a query of a scoped model raises there.
    scopes_disable_here()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if item.get_closest_marker("scoped") is None:
        return (yield)
    with unscoped():
        return (yield)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every test sees its own data on public pages (tests/core/test_page_cache.py turns the
    # anonymous page cache on).
    settings.MAILLAGE_PUBLIC_CACHE_SECONDS = 0
    # Routing decisions written to their log at once (tests/routing/test_api.py batches them).
    settings.MAILLAGE_DECISION_FLUSH_SECONDS = 0


@pytest.fixture
def no_ratelimit(settings):
    """Rate limits off, for a test that needs many requests from one address (the suite keeps
    them on everywhere else, as in production)."""
    settings.MAILLAGE_RATELIMIT_ENABLE = False


class _SharedReference:
    """The reference data loaded once per worker, kept under the tests that ask for it.

    Loading data/ takes ~0.25 s of CPU, and 276 tests ask for it. Instead of loading it in
    each test's transaction, it is loaded in a transaction of the worker's own that stays open
    around a run of such tests: each test runs in a savepoint inside it (Django's TestCase,
    nested), so what a test writes is rolled back as before and the next test sees the same
    freshly loaded data. A test that does not ask for the data, or that commits for real
    (transactional), runs after that transaction is rolled back: it sees an empty database,
    as before.
    """

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    def ensure(self):
        if self.atomic is not None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic._from_testcase = True  # as Django's TestCase marks its own blocks
            self.atomic.__enter__()
            reference_load_all()

    def drop(self):
        if self.atomic is None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


@pytest.fixture(scope="session")
def _shared_reference(django_db_setup, django_db_blocker):
    shared = _SharedReference(django_db_blocker)
    yield shared
    shared.drop()


def _transactional(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _django_db_marker(request):
    """pytest-django's own (the `django_db` marker), after the shared reference data is put in
    place for the tests that ask for it, or taken away for the others."""
    if "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db"):
        shared = request.getfixturevalue("_shared_reference")
        if "reference" in request.fixturenames and not _transactional(request):
            shared.ensure()
        else:
            shared.drop()
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")


@pytest.fixture
def reference(db, _shared_reference):
    """The reference data of data/ (operators, departments, conventions, committees, rules)."""
    if _shared_reference.atomic is None:  # a transactional test: its own load, committed
        reference_load_all()


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real worker over the queue until it is empty (what `maillage worker` does).

    The worker drops "old" connections between tasks; inside a test transaction that would
    close the test's own connection on PostgreSQL, so that one call is neutralised here.
    """
    from maillage.jobs import worker

    monkeypatch.setattr(worker, "close_old_connections", lambda: None)

    def run():
        call_command("worker", "--batch", verbosity=0)

    return run


@pytest.fixture
def api_client(client):
    """The test client with a helper to call the API with a bearer token."""
    return client


# `make test` runs in parallel (xdist, `--dist loadgroup`). Each worker has its own test
# database, so tests that commit (transactional, live server) run in parallel like the others;
# servers take their port in the worker's own share of the range (tests/servers.py). Only the
# concurrency tests — threads or processes racing for the same rows or the same lock — run one
# after the other, in one group: a burst of threads needs the machine's cores.
#
# The longest tests start first, so that the workers end together (xdist hands out the work in
# this order, the serial group first).
SLOW_FIRST = (
    "tests/security/test_form_fuzzer.py",
    "tests/core/test_demo_serving.py",
    "tests/partners/test_migrations.py",
    "tests/routing/test_properties.py",
    "tests/core/test_serve.py",
    "tests/core/test_database_unavailable.py",
)


def _slow_rank(item):
    path = item.nodeid.split("::", 1)[0]
    return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)


def pytest_collection_modifyitems(config, items):
    grouped = config.pluginmanager.hasplugin("xdist")  # `-p no:xdist`: no such marker
    for item in items:
        if grouped and item.get_closest_marker("concurrency") is not None:
            item.add_marker(pytest.mark.xdist_group("serial"))
    items.sort(key=_slow_rank)  # stable: the order of collection otherwise
