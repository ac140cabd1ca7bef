"""Demo referrals: every state between demo operators, idempotent."""

import pytest

from maillage.accounts import demo as accounts_demo
from maillage.referrals import demo
from maillage.referrals.enums import Status
from maillage.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_runs_twice_without_duplicating(reference):
    accounts_demo.build()
    demo.build()
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    count = Referral.objects.count()
    demo.build()
    assert Referral.objects.count() == count
