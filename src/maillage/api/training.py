"""API routes of the training area: the library (anyone, by audience) and training sessions."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from maillage.api.auth import token_auth
from maillage.api.errors import responses
from maillage.api.pagination import Mapped, paginated
from maillage.api.types import Id, InSchema, choice
from maillage.events.enums import EventStatus, RegistrationStatus
from maillage.events.services import seats_left, waitlist_position
from maillage.training.enums import Audience, ResourceKind, TrainingTheme
from maillage.training.selectors import library as library_selectors
from maillage.training.selectors import sessions as session_selectors
from maillage.training.services import sessions as session_services
from maillage.training.services.sessions import members_for_enrolment
from maillage.training.views.library import download_response

router = Router(tags=["training"])


# The token is optional: without one, the public resources only (an empty requirement).
OPTIONAL_TOKEN = [{}]  # ninja lists the bearer scheme before it


def _anonymous(request):
    # Without a token the caller is a visitor (public resources only); a bad token stays a 401.
    return "HTTP_AUTHORIZATION" not in request.META


def _membership(request):
    """The token's membership; None for a visitor (session cookies are ignored here)."""
    return getattr(request, "membership", None) if request.auth is not True else None


class LibraryFilters(Schema):
    q: str | None = Field(None, max_length=500)
    theme: choice(TrainingTheme) | None = None
    owner: str | None = Field(None, max_length=100)
    kind: choice(ResourceKind) | None = None
    audience: choice(Audience) | None = None


class ResourceOut(Schema):
    id: int
    title: str
    summary: str
    kind: choice(ResourceKind)
    themes: list[str]
    owner: str
    owner_name: str
    audience: choice(Audience)
    published_at: datetime | None
    download_count: int
    version: int | None
    download_url: str
    rank: float | None = None


def _resource_out(request, resource):
    versions = list(resource.versions.all())
    return {
        "id": resource.pk,
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "themes": resource.themes,
        "owner": resource.owner.slug,
        "owner_name": resource.owner.name,
        "audience": resource.audience,
        "published_at": resource.published_at,
        "download_count": resource.download_count,
        "version": versions[0].number if versions else None,
        "download_url": request.build_absolute_uri(f"/api/v1/library/{resource.pk}/download"),
        "rank": float(resource.rank) if hasattr(resource, "rank") else None,
    }


@router.get(
    "/library",
    response=responses(list[ResourceOut]),
    auth=[token_auth, _anonymous],
    openapi_extra={"security": OPTIONAL_TOKEN},
    summary="Rechercher dans la bibliothèque partagée",
    description=(
        "Ressources publiées que l'appelant peut voir : sans jeton, celles ouvertes à tous ; "
        "avec un jeton, aussi celles réservées aux membres (et aux comités pour leurs membres "
        "et la coordination). `q` est une recherche en français, classée par pertinence."
    ),
)
@paginated
def library_list(request: HttpRequest, filters: Query[LibraryFilters]):
    resources = library_selectors.library_search(
        membership=_membership(request),
        q=filters.q,
        theme=filters.theme,
        kind=filters.kind,
        owner=filters.owner,
        audience=filters.audience,
    )
    return Mapped(resources, lambda resource: _resource_out(request, resource))


@router.get(
    "/library/{resource_id}/download",
    response=responses({}, statuses=[404]),
    auth=[token_auth, _anonymous],
    openapi_extra={
        "security": OPTIONAL_TOKEN,
        "responses": {
            "200": {"description": "Le fichier, en pièce jointe"},
            "302": {
                "description": "Une ressource qui est un lien : redirection vers son adresse",
                "headers": {"Location": {"schema": {"type": "string"}}},
            },
        },
    },
    summary="Télécharger la version en cours d'une ressource",
    description="Toujours en pièce jointe. Une ressource que l'appelant ne peut pas voir : 404.",
)
def library_download(request: HttpRequest, resource_id: Id):
    resource = library_selectors.resource_get(membership=_membership(request), pk=resource_id)
    return download_response(resource, library_selectors.version_get(resource))


# --- training sessions -------------------------------------------------------------------------
class QuotaOut(Schema):
    organisation: str
    seats: int


class SessionOut(Schema):
    id: int
    title: str
    theme: str
    theme_label: str
    starts_at: datetime
    ends_at: datetime
    status: choice(EventStatus)
    hosts: list[str]
    capacity: int | None
    seats_left: int | None
    hours: float
    quotas: list[QuotaOut]
    venue: str
    url: str


class SessionFilters(Schema):
    theme: choice(TrainingTheme) | None = None
    period: Literal["upcoming", "past"] = "upcoming"


class EnrolmentIn(InSchema):
    member_id: Id | None = None


class EnrolmentOut(Schema):
    id: int
    status: choice(RegistrationStatus)
    waitlist_position: int | None = None


def _session_out(request, session):
    event = session.event
    return {
        "id": session.pk,
        "title": event.title,
        "theme": session.theme,
        "theme_label": session.get_theme_display(),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "status": event.status,
        "hosts": [h.slug for h in session.hosts.all()],
        "capacity": event.capacity,
        "seats_left": seats_left(event),
        "hours": float(session.hours),
        "quotas": [
            {"organisation": q.organisation.slug, "seats": q.seats} for q in event.quotas.all()
        ],
        "venue": ", ".join(p for p in (event.venue, event.address) if p),
        "url": request.build_absolute_uri(session.get_absolute_url()),
    }


@router.get(
    "/training/sessions",
    response=responses(list[SessionOut]),
    auth=token_auth,
    summary="Sessions de professionnalisation croisée",
    description="`period` : `upcoming` (par défaut) ou `past`. Réservé aux membres (jeton).",
)
@paginated
def sessions_list(request: HttpRequest, filters: Query[SessionFilters]):
    sessions = session_selectors.sessions_list(
        membership=request.membership, theme=filters.theme, period=filters.period
    ).prefetch_related("event__quotas__organisation")
    return Mapped(sessions, lambda session: _session_out(request, session))


@router.post(
    "/training/sessions/{session_id}/enrolments",
    response=responses({200: EnrolmentOut, 201: EnrolmentOut}, statuses=[403, 404, 409]),
    auth=token_auth,
    summary="S'inscrire (ou inscrire un membre) à une session",
    description=(
        "Avec un jeton de conseiller : inscrit la personne du jeton. Un responsable peut "
        "inscrire un membre de son organisation (`member_id` = identifiant d'appartenance). "
        "201 avec `status` = `confirmed` ou `waitlisted` (capacité atteinte, ou places "
        "réservées de l'opérateur et places ouvertes épuisées) ; 200 si la personne était déjà "
        "inscrite ; 409 si les inscriptions sont closes."
    ),
)
def enrolment_create(request: HttpRequest, session_id: Id, payload: EnrolmentIn | None = None):
    membership = request.membership
    session = session_selectors.session_get(membership=membership, pk=session_id)
    member = None
    if payload is not None and payload.member_id:
        member = get_object_or_404(members_for_enrolment(membership), pk=payload.member_id)
    existing = session_selectors.registration_of(session, (member or membership).user)
    registration = session_services.enrolment_create(
        actor=request.user, membership=membership, session=session, member=member
    )
    created = existing is None or existing.status == RegistrationStatus.CANCELLED
    body = {
        "id": registration.pk,
        "status": registration.status,
        "waitlist_position": waitlist_position(registration),
    }
    return Status(201 if created else 200, body)
