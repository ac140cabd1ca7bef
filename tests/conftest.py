"""Shared fixtures: reference data, factories' users, a worker run, fast hashing."""

import pytest
from django.core.management import call_command

from maillage.core.reference import reference_load_all


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
