"""Two counsellors answer the same referral at once: exactly one wins, the other is told why.

PostgreSQL only: SQLite serialises writers for the whole database, so it cannot show row
locks. This skip is acceptable ONLY because CI runs the whole suite on PostgreSQL too
(DATABASE_URL=postgres://…), where this test runs and must pass.
"""

import threading

import pytest
from django.db import connection, connections

from maillage.core.errors import Conflict
from maillage.core.scoping import scope
from maillage.referrals import services
from maillage.referrals.enums import Status
from maillage.referrals.models import Referral, Transition
from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]


def test_accept_and_refuse_at_once_exactly_one_wins(sender, receiver):
    colleague = MembershipFactory(organisation=receiver.organisation)
    referral = factories.send(sender, receiver)
    barrier = threading.Barrier(2)
    results = {}

    def act(name, membership, action, **extra):
        try:
            barrier.wait(timeout=10)
            # Each thread is a request of its own: it opens its member's scope, as the
            # middleware does (a scope does not cross into a new thread).
            with scope(organisation=membership.organisation):
                services.referral_transition(
                    actor=membership.user,
                    organisation=membership.organisation,
                    referral_id=referral.pk,
                    action=action,
                    **extra,
                )
            results[name] = "ok"
        except Conflict as exc:
            results[name] = exc.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("accept", receiver, "accept")),
        threading.Thread(
            target=act, args=("refuse", colleague, "refuse"), kwargs={"reason": "unreachable"}
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["accept", "refuse"]
    winners = [k for k, v in results.items() if v == "ok"]
    assert len(winners) == 1
    loser = "refuse" if winners == ["accept"] else "accept"
    assert results[loser].startswith("Impossible de")
    assert ("déjà été acceptée" in results[loser]) or ("déjà été refusée" in results[loser])
    referral.refresh_from_db()
    assert referral.status == (Status.ACCEPTED if winners == ["accept"] else Status.REFUSED)
    assert Transition.objects.filter(referral=referral).exclude(action="send").count() == 1
    assert Referral.objects.count() == 1
