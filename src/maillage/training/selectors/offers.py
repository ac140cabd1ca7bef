"""Reads of "qui propose quoi": active offers side by side, and an operator's own offers."""

from django.shortcuts import get_object_or_404

from maillage.partners.enums import OrganisationKind, Theme
from maillage.partners.models import Organisation, ServiceOffer


def offers_by_operator(*, public=None, theme=None, mode=None, operator=None):
    """The active offers that match, one entry per operator, and the count of each theme.

    Returns {"operators": [(organisation, [offers])], "without": [organisations of the
    partnership with no matching offer], "themes": [(value, label, count)], "total": n}.
    Every current operator appears: in a card with its offers, or named among those without.
    """
    offers = list(
        ServiceOffer.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )
    # JSON lists are filtered in Python: small table, identical on SQLite and PostgreSQL.
    if public:
        offers = [o for o in offers if public in o.publics]
    if mode:
        offers = [o for o in offers if mode in o.modes]
    if operator:
        offers = [o for o in offers if o.organisation.slug == operator]
    # Theme counts before the theme filter: they say what choosing another theme would give.
    themes = [
        (value, label, sum(1 for o in offers if value in o.themes))
        for value, label in Theme.choices
    ]
    if theme:
        offers = [o for o in offers if theme in o.themes]
    grouped = {}
    for offer in offers:
        grouped.setdefault(offer.organisation, []).append(offer)
    shown = {o.pk for o in grouped}
    without = [
        organisation
        for organisation in Organisation.objects.filter(
            is_active=True, kind=OrganisationKind.OPERATOR, accepts_referrals=True
        ).order_by("name")
        if organisation.pk not in shown
        and organisation.is_current_on()
        and (not operator or organisation.slug == operator)
    ]
    return {
        "operators": list(grouped.items()),
        "without": without,
        "themes": [t for t in themes if t[2]],
        "total": len(offers),
    }


def operator_choices():
    """The operators that have an active offer, for the grid's filter."""
    return list(
        Organisation.objects.filter(is_active=True, service_offers__is_active=True)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )


def offers_of(organisation):
    return ServiceOffer.objects.filter(organisation=organisation).order_by("-is_active", "title")


def offer_get(*, organisation, pk):
    """One offer of `organisation`; another operator's answers 404."""
    return get_object_or_404(offers_of(organisation), pk=pk)
