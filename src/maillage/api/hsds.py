"""The directory in Open Referral's HSDS 3: organizations, services, locations (public).

Paginated as HSDS 3's read API is (`total_items`, `page_number`, `contents`…), for its clients."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from maillage.api.errors import responses
from maillage.partners import datainclusion, hsds

router = Router(tags=["HSDS 3"])


class HsdsPageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page (à partir de 1).")
    per_page: int = Field(100, ge=1, le=1000, description="Nombre d'éléments par page.")


def _page_schema(name, model):
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "total_items": int,
                "total_pages": int,
                "page_number": int,
                "size": int,
                "first_page": bool,
                "last_page": bool,
                "empty": bool,
                "contents": list[model],
            }
        },
    )


OrganizationPage = _page_schema("HsdsOrganizationPage", hsds.Organization)
ServicePage = _page_schema("HsdsServicePage", hsds.Service)
LocationPage = _page_schema("HsdsLocationPage", hsds.Location)
ServiceAtLocationPage = _page_schema("HsdsServiceAtLocationPage", hsds.ServiceAtLocation)


class HsdsRootOut(Schema):
    version: str
    profile: str
    openapi_url: str
    licence: str


@router.get("/hsds/", response=responses(HsdsRootOut, auth=False), auth=None)
def hsds_root(request: HttpRequest):
    """La version d'HSDS de cette API et sa licence."""
    return {
        "version": hsds.HSDS_VERSION,
        "profile": "https://docs.openreferral.org/en/3.0/",
        "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
        "licence": datainclusion.LICENCE,
    }


@router.get("/hsds/organizations", response=responses(OrganizationPage, auth=False), auth=None)
def hsds_organizations(request: HttpRequest, query: Query[HsdsPageQuery]):
    return hsds.page(
        datainclusion.organisations_queryset(),
        hsds.organization_of,
        page_number=query.page,
        size=query.per_page,
    )


@router.get("/hsds/services", response=responses(ServicePage, auth=False), auth=None)
def hsds_services(request: HttpRequest, query: Query[HsdsPageQuery]):
    return hsds.page(
        datainclusion.offers_queryset(),
        hsds.service_of,
        page_number=query.page,
        size=query.per_page,
    )


@router.get("/hsds/locations", response=responses(LocationPage, auth=False), auth=None)
def hsds_locations(request: HttpRequest, query: Query[HsdsPageQuery]):
    return hsds.page(
        datainclusion.sites_queryset(),
        hsds.location_of,
        page_number=query.page,
        size=query.per_page,
    )


@router.get(
    "/hsds/service_at_locations", response=responses(ServiceAtLocationPage, auth=False), auth=None
)
def hsds_service_at_locations(request: HttpRequest, query: Query[HsdsPageQuery]):
    return hsds.page(
        datainclusion.offer_sites_queryset(),
        lambda link: hsds.service_at_location_of(link.serviceoffer, link.site),
        page_number=query.page,
        size=query.per_page,
    )
