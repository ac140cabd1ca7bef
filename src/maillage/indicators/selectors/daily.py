"""The daily roll-up rows themselves, for the open-data style export (counts only)."""

from django.db.models import Q

from maillage.core.exports import DATE, INTEGER, TEXT, Col
from maillage.indicators.enums import FLOW_COUNTERS, Span
from maillage.indicators.models import ReferralFlowFact
from maillage.indicators.tables import COUNT, export_cell
from maillage.partners.models import Organisation

COUNTERS = [c for c, _ in FLOW_COUNTERS]


def daily_flow_rows(scope, period, department, *, chunk_size=5000):
    """Header, then one row per day, sender, receiver and department (hidden counts as "< 5")."""
    names = dict(Organisation.objects.values_list("pk", "name"))
    qs = ReferralFlowFact.objects.filter(
        span=Span.DAY, day__gte=period.start, day__lte=period.end
    ).order_by("day", "sender_id", "receiver_id", "department")
    if department:
        qs = qs.filter(department=department)
    if not scope.is_partnership:
        qs = qs.filter(Q(sender=scope.organisation) | Q(receiver=scope.organisation))
    yield [
        Col("Jour", DATE),
        Col("Opérateur qui oriente", TEXT),
        Col("Opérateur destinataire", TEXT),
        Col("Département", TEXT),
    ] + [Col(str(label), INTEGER, secret=True) for _, label in FLOW_COUNTERS]
    for day, sender, receiver, dept, *counts in qs.values_list(
        "day", "sender_id", "receiver_id", "department", *COUNTERS
    ).iterator(chunk_size=chunk_size):
        yield [day, names.get(sender), names.get(receiver), dept] + [
            export_cell(COUNT, n) for n in counts
        ]
