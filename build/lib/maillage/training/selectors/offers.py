"""Reads of "qui propose quoi": active offers side by side, and an operator's own offers."""

from django.shortcuts import get_object_or_404

from maillage.partners.enums import Public
from maillage.partners.models import ServiceOffer


def offers_grid(*, public=None, theme=None, mode=None):
    """Publics (rows) by operators (columns) → their offers, for the active offers that match.

    Returns (operators, rows) where rows = [(public value, label, [offers per operator])].
    """
    offers = list(
        ServiceOffer.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )
    # JSON lists are filtered in Python: small table, identical on SQLite and PostgreSQL.
    if theme:
        offers = [o for o in offers if theme in o.themes]
    if mode:
        offers = [o for o in offers if mode in o.modes]
    operators = []
    for offer in offers:
        if offer.organisation not in operators:
            operators.append(offer.organisation)
    rows = []
    for value, label in Public.choices:
        if public and value != public:
            continue
        cells = [
            [o for o in offers if o.organisation_id == operator.pk and value in o.publics]
            for operator in operators
        ]
        if any(cells):
            rows.append((value, label, cells))
    return operators, rows


def offers_of(organisation):
    return ServiceOffer.objects.filter(organisation=organisation).order_by("-is_active", "title")


def offer_get(*, organisation, pk):
    """One offer of `organisation`; another operator's answers 404."""
    return get_object_or_404(offers_of(organisation), pk=pk)
