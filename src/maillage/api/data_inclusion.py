"""The directory in data·inclusion's schema: /data-inclusion/structures and /services (public).

These lists are paginated as data·inclusion's own API is (`items`, `total`, `page`, `size`,
`pages`), not as the rest of Maillage's API: their readers are data·inclusion clients."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from maillage.api.errors import responses
from maillage.partners import datainclusion

router = Router(tags=["data·inclusion"])


class DataInclusionPageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page (à partir de 1).")
    size: int = Field(500, ge=1, le=1000, description="Nombre d'éléments par page.")


class DataInclusionPlaceOut(Schema):
    adresse: str | None
    complement_adresse: str | None
    commune: str | None
    code_postal: str | None
    code_insee: str | None
    latitude: float | None
    longitude: float | None
    telephone: str | None
    courriel: str | None
    horaires_accueil: str | None


class DataInclusionStructureOut(DataInclusionPlaceOut):
    source: str
    id: str
    nom: str
    date_maj: date
    description: str | None
    lien_source: str | None
    siret: str | None
    site_web: str | None
    accessibilite_lieu: str | None
    reseaux_porteurs: list[str] | None
    maillage_slug: str


class DataInclusionServiceOut(DataInclusionPlaceOut):
    source: str
    structure_id: str
    id: str
    nom: str
    description: str
    lien_source: str | None
    date_maj: date
    type: str | None
    thematiques: list[str] | None
    frais: str | None
    frais_precisions: str | None
    publics: list[str] | None
    publics_precisions: str | None
    conditions_acces: str | None
    modes_accueil: list[str] | None
    zone_eligibilite: list[str] | None
    contact_nom_prenom: str | None
    lien_mobilisation: str | None
    modes_mobilisation: list[str] | None
    mobilisable_par: list[str] | None
    mobilisation_precisions: str | None
    volume_horaire_hebdomadaire: float | None
    nombre_semaines: int | None
    maillage_publics: list[str]
    maillage_thematiques: list[str]
    maillage_modes: list[str]
    maillage_lieux: list[str]


class DataInclusionStructurePage(Schema):
    items: list[DataInclusionStructureOut]
    total: int
    page: int
    size: int
    pages: int
    licence: str


class DataInclusionServicePage(Schema):
    items: list[DataInclusionServiceOut]
    total: int
    page: int
    size: int
    pages: int
    licence: str


def _page(queryset, build, query):
    total = queryset.count()
    start = (query.page - 1) * query.size
    return {
        "items": [build(row) for row in queryset[start : start + query.size]],
        "total": total,
        "page": query.page,
        "size": query.size,
        "pages": max(1, -(-total // query.size)),
        "licence": datainclusion.LICENCE,
    }


@router.get(
    "/data-inclusion/structures",
    response=responses(DataInclusionStructurePage, auth=False),
    auth=None,
)
def data_inclusion_structures(request: HttpRequest, query: Query[DataInclusionPageQuery]):
    """Les organisations de l'annuaire, au schéma data·inclusion (licence Etalab 2.0)."""
    return _page(datainclusion.organisations_queryset(), datainclusion.structure_of, query)


@router.get(
    "/data-inclusion/services", response=responses(DataInclusionServicePage, auth=False), auth=None
)
def data_inclusion_services(request: HttpRequest, query: Query[DataInclusionPageQuery]):
    """Les offres de service de l'annuaire, au schéma data·inclusion (licence Etalab 2.0)."""
    return _page(datainclusion.offers_queryset(), datainclusion.service_of, query)
