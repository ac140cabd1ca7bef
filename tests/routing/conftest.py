"""Routing tests start from a fresh compiled engine (its cache outlives test transactions)."""

import pytest

from maillage.routing import engine


@pytest.fixture(autouse=True)
def _fresh_engine():
    engine.invalidate()
    yield
    engine.invalidate()


@pytest.fixture
def rules(reference):
    """The reference data, rules included, as `maillage load-reference` loads them."""
    return reference
