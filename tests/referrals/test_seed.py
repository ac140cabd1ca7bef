"""`maillage seed`: deterministic synthetic referrals, coherent with the workflow."""

import pytest
from django.core.management import call_command

from maillage.referrals.enums import Status
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


def test_the_synthetic_lifecycle_walks_the_workflow_and_stops_at_now():
    import random
    from datetime import UTC, datetime, timedelta

    from maillage.referrals.seed import lifecycle

    sent = datetime(2025, 1, 6, 9, tzinfo=UTC)
    later = sent + timedelta(days=1000)
    rng = random.Random(3)
    reached = {state: lifecycle(rng, state, sent=sent, now=later) for state in Status.values}
    assert {state: values["status"] for state, values in reached.items()} == {
        s: s for s in Status.values
    }
    closed = reached["closed"]
    assert sent < closed["received_at"] < closed["accepted_at"] < closed["ended_at"]
    assert closed["first_appointment_on"] and closed["outcome"]
    assert reached["refused"]["refusal_reason"] and reached["refused"]["accepted_at"] is None
    assert reached["expired"]["received_at"] is None
    assert reached["expired"]["ended_at"] == sent + timedelta(days=42)
    # Nothing has happened yet at the moment it is sent.
    assert lifecycle(rng, "closed", sent=sent, now=sent)["status"] == "sent"
