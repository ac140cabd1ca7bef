"""Public directory API: organisations, their sites and service offers."""

from datetime import date

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from maillage.api.errors import responses
from maillage.api.pagination import paginated
from maillage.api.types import choice
from maillage.partners.enums import OrganisationKind, Public
from maillage.partners.models import Organisation, ServiceOffer

router = Router(tags=["annuaire"])


class SiteOut(Schema):
    name: str
    address: str
    postcode: str
    city: str
    department: str
    phone: str
    email: str
    opening_hours: str
    is_demo: bool

    @staticmethod
    def resolve_department(obj):
        return obj.department_id


class OfferOut(Schema):
    title: str
    description: str
    publics: list[str]
    themes: list[str]
    modes: list[str]
    how_to_ask: str


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: choice(OrganisationKind)
    public_summary: str
    publics: list[str]
    website: str
    departments: list[str]
    active_from: date | None
    active_until: date | None
    accepts_referrals: bool

    @staticmethod
    def resolve_departments(obj):
        return [d.code for d in obj.departments.all()]


class OrganisationDetailOut(OrganisationOut):
    description: str
    sites: list[SiteOut]
    service_offers: list[OfferOut]

    @staticmethod
    def resolve_sites(obj):
        return list(obj.sites.all())

    @staticmethod
    def resolve_service_offers(obj):
        return list(obj.service_offers.all())


@router.get("", response=responses(list[OrganisationOut], auth=False), auth=None)
@paginated
def organisations_list(
    request, public: choice(Public) | None = None, department: str | None = None
):
    organisations = (
        Organisation.objects.filter(is_active=True).prefetch_related("departments").order_by("slug")
    )
    if department:
        organisations = organisations.filter(departments__code=department).distinct()
    result = list(organisations)
    if public:
        result = [o for o in result if public in o.publics]
    return result


@router.get(
    "/{slug}", response=responses(OrganisationDetailOut, auth=False, statuses=[404]), auth=None
)
def organisation_get(request, slug: str):
    return get_object_or_404(
        Organisation.objects.prefetch_related(
            "departments",
            "sites",
            Prefetch("service_offers", queryset=ServiceOffer.objects.filter(is_active=True)),
        ),
        slug=slug,
        is_active=True,
    )
