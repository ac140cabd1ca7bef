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


@pytest.fixture
def reference(db):
    """The reference data of data/ (operators, departments, conventions, committees, rules)."""
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
    for item in items:
        if item.get_closest_marker("concurrency") is not None:
            item.add_marker(pytest.mark.xdist_group("serial"))
    items.sort(key=_slow_rank)  # stable: the order of collection otherwise
