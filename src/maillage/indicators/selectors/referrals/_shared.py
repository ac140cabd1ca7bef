"""What every referral table shares: counters, scoped flow facts, percentiles."""

from math import ceil

from django.db.models import Q

from maillage.indicators import suppression
from maillage.indicators.enums import (
    FLOW_COUNTERS,
)
from maillage.indicators.models import (
    ReferralFlowFact,
)
from maillage.indicators.selectors.facts import facts, summed
from maillage.partners.models import Organisation

COUNTERS = [c for c, _ in FLOW_COUNTERS]
OTHERS = "autres"
ANSWERS = ("accepted", "refused", "redirected", "expired")


def _organisations(ids):
    return {o.pk: o for o in Organisation.objects.filter(pk__in=set(ids)).order_by("name")}


def _flows(scope, period, department, *, per_department=False):
    qs = facts(ReferralFlowFact, period, department, per_department=per_department)
    if not scope.is_partnership:
        qs = qs.filter(Q(sender=scope.organisation) | Q(receiver=scope.organisation))
    return qs


def _operators_involved(period, department):
    pairs = summed(facts(ReferralFlowFact, period, department), ["sender", "receiver"], ["sent"])
    return {org for pair in pairs for org in pair}


def percentile(histogram, share):
    """Nearest-rank percentile of a {business_days: count} histogram; None under the threshold."""
    total = sum(histogram.values())
    if total == 0 or total < suppression.threshold():
        return None
    rank = max(1, ceil(share * total))
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return None
