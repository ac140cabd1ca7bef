"""The demo adds anonymous decision counts once (idempotent), for the indicators."""

import pytest

from maillage.routing import demo
from maillage.routing.models import DecisionCount

pytestmark = pytest.mark.django_db


def test_the_demo_counts_are_built_once(rules):
    demo.build()
    first = DecisionCount.objects.count()
    demo.build()
    assert first > 0 and DecisionCount.objects.count() == first
    assert set(DecisionCount.objects.values_list("channel", flat=True)) == {"public", "counsellor"}
