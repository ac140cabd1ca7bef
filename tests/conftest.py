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


# Tests that start servers or threads against the database, or commit for real, run one after
# the other in one xdist worker (`make test` runs the rest in parallel, `--dist loadgroup`):
# free ports are probed, not reserved, and a burst of threads needs the machine's cores.
SERIAL_FIXTURES = {"live_server", "transactional_db"}


def _serial(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    if SERIAL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    module = getattr(item, "module", None)
    return module is not None and any(
        getattr(value, "__module__", None) == "tests.servers" for value in vars(module).values()
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _serial(item):
            item.add_marker(pytest.mark.xdist_group("serial"))
