"""Reads of the directory and the conventions (public data: no personal data here)."""

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from maillage.partners.enums import OrganisationKind, SignatoryRole
from maillage.partners.models import (
    Convention,
    ConventionSignatory,
    Organisation,
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


def organisations_all():
    return Organisation.objects.order_by("kind", "name")


def sites_of(organisation):
    return Site.objects.filter(organisation=organisation).select_related("department")


def site_get(*, organisation, site_id):
    """A site of `organisation`; another organisation's site answers 404."""
    return get_object_or_404(sites_of(organisation), pk=site_id)
