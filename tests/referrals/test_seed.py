"""`maillage seed`: deterministic synthetic referrals, coherent with the workflow."""

import pytest
from django.core.management import call_command

from maillage.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Referral.objects.order_by("id").values_list(
            "sender_organisation__slug",
            "receiver_organisation__slug",
            "status",
            "last_name",
            "refusal_reason",
            "outcome",
        )
    )


def test_seed_is_deterministic_and_coherent(reference):
    call_command("seed", "--scale", "300", "--seed", "7", verbosity=0)
    first = _snapshot()
    Referral.objects.all().delete()
    call_command("seed", "--scale", "300", "--seed", "7", verbosity=0)
    assert _snapshot() == first and len(first) == 300
    assert all(s != r for s, r, *_ in first)
    assert not Referral.objects.filter(status="closed", outcome="").exists()
    assert not Referral.objects.filter(status="refused", refusal_reason="").exists()
    assert not Referral.objects.filter(status="accepted", accepted_at__isnull=True).exists()
    assert Referral.objects.values("status").distinct().count() >= 8
    call_command("seed", "--scale", "50", "--seed", "8", verbosity=0)
    assert Referral.objects.count() == 350
