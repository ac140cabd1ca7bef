"""Reads of the directory and the conventions (public data: no personal data here)."""

import re

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from maillage.partners.enums import OrganisationKind, SignatoryRole
from maillage.partners.models import (
    Convention,
    ConventionSignatory,
    Organisation,
    OrganisationName,
    ServiceOffer,
    Site,
)


def convention_featured():
    """The most recently signed convention, with its parties and committees, or None."""
    parties = ConventionSignatory.objects.select_related("organisation").order_by(
        Lower("organisation__name")
    )
    return (
        Convention.objects.prefetch_related(Prefetch("parties", queryset=parties), "committees")
        .order_by("-signed_on")
        .first()
    )


def convention_parties_by_role(convention):
    """(signatories, coordination bodies) of a convention fetched by `convention_featured`."""
    parties = list(convention.parties.all())
    signatories = [p for p in parties if p.role == SignatoryRole.SIGNATORY]
    return signatories, [p for p in parties if p.role != SignatoryRole.SIGNATORY]


def directory_list(*, public=None, department=None, kind=None, q=None):
    """Active organisations of the directory, filtered; ordered by kind then name."""
    organisations = Organisation.objects.filter(is_active=True).prefetch_related("departments")
    if kind:
        organisations = organisations.filter(kind=kind)
    if department:
        organisations = organisations.filter(departments__code=department)
    if q:
        organisations = organisations.filter(name__icontains=q)
    results = list(organisations.distinct().order_by("name"))
    if public:
        # publics is a small JSON list; filtering in Python keeps SQLite and PostgreSQL alike.
        results = [o for o in results if public in o.publics]
    order = {OrganisationKind.OPERATOR: 0, OrganisationKind.GATEWAY: 1}
    return sorted(results, key=lambda o: (order.get(o.kind, 2), o.name.lower()))


def organisation_public_get(slug):
    return get_object_or_404(
        Organisation.objects.prefetch_related(
            Prefetch("sites", queryset=Site.objects.select_related("department")),
            Prefetch("service_offers", queryset=ServiceOffer.objects.filter(is_active=True)),
            Prefetch(
                "convention_parties",
                queryset=ConventionSignatory.objects.select_related("convention"),
            ),
            "departments",
        ),
        slug=slug,
        is_active=True,
    )


def organisation_names_dated():
    """{slug: [(valid_from, valid_until, name), …]}: every dated name, for readers by date."""
    dated = {}
    rows = OrganisationName.objects.order_by("valid_from").values_list(
        "organisation__slug", "valid_from", "valid_until", "name"
    )
    for slug, valid_from, valid_until, name in rows:
        dated.setdefault(slug, []).append((valid_from, valid_until, name))
    return dated


def organisation_names_on(day):
    """{slug: name} of every organisation as it was named on `day`."""
    names = dict(Organisation.objects.values_list("slug", "name"))
    for slug, periods in organisation_names_dated().items():
        for valid_from, valid_until, name in periods:
            if (valid_from is None or valid_from <= day) and (
                valid_until is None or day <= valid_until
            ):
                names[slug] = name
    return names


def organisations_all():
    return Organisation.objects.order_by("kind", "name")


def sites_of(organisation):
    return Site.objects.filter(organisation=organisation).select_related("department")


def site_get(*, organisation, site_id):
    """A site of `organisation`; another organisation's site answers 404."""
    return get_object_or_404(sites_of(organisation), pk=site_id)


def commune_find(text):
    """The commune meant by a name or a postcode (or INSEE code): (commune, None) or
    (None, French message). Several matches: the most populous, as people usually mean it."""
    from maillage.partners.geography import search_key
    from maillage.partners.models import Commune

    value = (text or "").strip()[:100]
    if not value:
        return None, None
    communes = Commune.objects.select_related("department").order_by("-population", "pk")
    if re.fullmatch(r"\d{5}|2[AB]\d{3}", value, flags=re.IGNORECASE):
        found = (
            communes.filter(postcodes__contains=value).first()
            or communes.filter(pk=value.upper()).first()
        )
        if found:
            return found, None
        return None, f"Le code postal {value} ne correspond à aucune commune de notre référentiel."
    key = search_key(value)
    if key:
        found = (
            communes.filter(search_key=key).first()
            or communes.filter(search_key__startswith=key).first()
        )
        if found:
            return found, None
    return None, (
        f"La commune « {value} » n'est pas dans notre référentiel (communes d'Île-de-France) : "
        "vérifiez l'orthographe ou donnez le code postal."
    )


def sites_nearest(sites, commune, *, limit=3):
    """Up to `limit` of `sites` that have a position, nearest to `commune` first, each with
    its great-circle distance (`site.distance_km`, `site.distance_label`)."""
    from maillage.partners.geography import distance_label, haversine_km

    placed = []
    for site in sites:
        if site.latitude is None or site.longitude is None:
            continue
        site.distance_km = haversine_km(
            commune.latitude, commune.longitude, site.latitude, site.longitude
        )
        site.distance_label = distance_label(site.distance_km)
        placed.append(site)
    placed.sort(key=lambda s: (s.distance_km, s.name))
    return placed[:limit]


def offers_of(organisation):
    return ServiceOffer.objects.filter(organisation=organisation).prefetch_related("sites")


def offer_get(*, organisation, public_id):
    """An offer of `organisation`; another organisation's offer answers 404."""
    return get_object_or_404(offers_of(organisation), public_id=public_id)
