"""Factories of the training area: resources built through the services, as users make them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maillage.training import search
from maillage.training.enums import Audience, ResourceKind, ResourceStatus
from maillage.training.models import Resource, ResourceVersion
from tests.factories import OrganisationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf_upload(name="fiche.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_resource(
    *,
    title="Fiche métier",
    summary="Une fiche pour les conseillers.",
    audience=Audience.PUBLIC,
    status=ResourceStatus.PUBLISHED,
    owner=None,
    themes=(),
    kind=ResourceKind.SHEET,
    url="https://exemple.fr/ressource",
):
    """A resource in any state, with one link version, indexed for search."""
    resource = Resource.objects.create(
        title=title,
        summary=summary,
        audience=audience,
        status=status,
        owner=owner or OrganisationFactory(),
        themes=list(themes),
        kind=kind,
        published_at=timezone.now() if status == ResourceStatus.PUBLISHED else None,
    )
    ResourceVersion.objects.create(resource=resource, number=1, url=url)
    search.index_resource(resource)
    return resource


def make_session(
    *,
    publisher=None,
    hosts=(),
    capacity=10,
    quotas=None,
    days_ahead=7,
    hours=None,
    title="Le marché de l'emploi en Seine-Saint-Denis",
    theme="marche_emploi",
):
    """A published session, `days_ahead` days from now, 9:00–12:00, via the services."""
    from datetime import timedelta

    from maillage.training.services.sessions import session_create
    from tests.factories import MembershipFactory

    publisher = publisher or MembershipFactory(manager=True)
    start = (timezone.now() + timedelta(days=days_ahead)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return session_create(
        actor=publisher.user,
        membership=publisher,
        title=title,
        theme=theme,
        hosts=list(hosts),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=capacity,
        venue="Salle du partenariat",
        address="2 rue Simone Veil, Saint-Ouen",
        quotas=quotas or {},
        hours=hours,
    )
