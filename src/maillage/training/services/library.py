"""Writes on the shared library: create, edit, new version, state transitions, downloads."""

from django.db import transaction
from django.db.models import F

from maillage.accounts.enums import Role
from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.training import files, search
from maillage.training.enums import (
    Audience,
    ResourceKind,
    ResourceStatus,
    TrainingTheme,
)
from maillage.training.models import Resource, ResourceVersion
from maillage.training.workflow import RESOURCE_WORKFLOW, SYSTEM, action_to

AUTHOR_ROLES = {Role.COUNSELLOR, Role.MANAGER, Role.COORDINATOR}
AUDIENCE_WIDTH = {Audience.COMMITTEE: 0, Audience.PARTNERS: 1, Audience.PUBLIC: 2}


def _actor_capacities(membership, resource):
    """What `membership` is to `resource`: {"owner"}, {"coordinator"}, both or none."""
    capacities = set()
    if membership is None:
        return capacities
    if membership.role == Role.COORDINATOR:
        capacities.add("coordinator")
    if membership.organisation_id == resource.owner_id and membership.role in AUTHOR_ROLES:
        capacities.add("owner")
    return capacities


def can_edit(membership, resource):
    return bool(_actor_capacities(membership, resource))


def allowed_transitions(membership, resource):
    """(target state, verb) of each move this person may take now, from the engine's table."""
    capacities = _actor_capacities(membership, resource)
    return [
        (RESOURCE_WORKFLOW.moves[action].target, RESOURCE_WORKFLOW.moves[action].label)
        for action in RESOURCE_WORKFLOW.available(resource, capacities)
    ]


def _clean_fields(*, title, summary, kind, themes, audience):
    title = (title or "").strip()
    summary = (summary or "").strip()
    if not title:
        raise DomainError("Donnez un titre à la ressource.", code="required", field="title")
    if len(title) > 200:
        raise DomainError("Le titre dépasse 200 caractères.", code="too_long", field="title")
    if not summary:
        raise DomainError(
            "Résumez la ressource en quelques lignes.", code="required", field="summary"
        )
    if kind not in ResourceKind.values:
        raise DomainError("Choisissez un type de ressource.", code="invalid", field="kind")
    if audience not in Audience.values:
        raise DomainError("Choisissez à qui la ressource est destinée.", field="audience")
    themes = list(dict.fromkeys(themes or []))
    unknown = [t for t in themes if t not in TrainingTheme.values]
    if unknown:
        raise DomainError(f"Thème inconnu : {', '.join(unknown)}.", field="themes")
    return title, summary, themes


def _version_add(*, actor, resource, file=None, url="", note=""):
    url = (url or "").strip()
    if bool(file) == bool(url):
        raise DomainError("Joignez un fichier ou indiquez un lien (l'un ou l'autre).", field="file")
    if url and not url.startswith(("https://", "http://")):
        raise DomainError("Le lien doit commencer par https://.", field="url")
    last = (
        ResourceVersion.objects.select_for_update()
        .filter(resource=resource)
        .order_by("-number")
        .first()
    )
    version = ResourceVersion(
        resource=resource,
        number=(last.number + 1) if last else 1,
        url=url,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    if file:
        content_type, size, digest = files.check_upload(file)
        version.content_type = content_type
        version.size = size
        version.sha256 = digest
        version.original_name = (file.name or "fichier").replace("\\", "/").rsplit("/", 1)[-1][:200]
        # Stored through Django's storage (filesystem or S3-compatible, see STORAGES).
        version.file.save(files.safe_filename(file.name), file, save=False)
    version.save()
    return version


@transaction.atomic
def resource_create(
    *,
    actor,
    membership,
    title,
    summary,
    kind,
    themes=(),
    audience=Audience.PARTNERS,
    file=None,
    url="",
    note="",
    owner=None,
):
    """A new draft resource owned by the actor's organisation (a coordinator may pick another)."""
    if membership is None or membership.role not in AUTHOR_ROLES:
        raise Forbidden("Votre rôle ne permet pas de partager une ressource.")
    if owner is None or membership.role != Role.COORDINATOR:
        owner = membership.organisation
    title, summary, themes = _clean_fields(
        title=title, summary=summary, kind=kind, themes=themes, audience=audience
    )
    resource = Resource.objects.create(
        title=title,
        summary=summary,
        kind=kind,
        themes=themes,
        audience=audience,
        owner=owner,
        created_by=actor,
    )
    _version_add(actor=actor, resource=resource, file=file, url=url, note=note or "Création")
    search.index_resource(resource)
    audit_log(
        actor=actor,
        action="training.resource.created",
        obj=resource,
        organisation=owner,
        data={"audience": audience, "kind": kind},
    )
    return resource


def _locked(resource):
    return Resource.objects.select_for_update().get(pk=resource.pk)


@transaction.atomic
def resource_update(*, actor, membership, resource, title, summary, kind, themes, audience):
    resource = _locked(resource)
    if not can_edit(membership, resource):
        raise Forbidden("Seuls l'opérateur propriétaire et la coordination la modifient.")
    title, summary, themes = _clean_fields(
        title=title, summary=summary, kind=kind, themes=themes, audience=audience
    )
    before = {"title": resource.title, "audience": resource.audience, "kind": resource.kind}
    widened = AUDIENCE_WIDTH[audience] > AUDIENCE_WIDTH[resource.audience]
    resource.title, resource.summary, resource.kind = title, summary, kind
    resource.themes, resource.audience = themes, audience
    resource.save()
    if (
        widened
        and resource.status == ResourceStatus.PUBLISHED
        and "coordinator" not in _actor_capacities(membership, resource)
    ):
        # A wider audience than the one validated needs the coordination's validation again.
        resource.published_at = None
        comment = "Diffusion élargie : nouvelle validation nécessaire."
        RESOURCE_WORKFLOW.apply(
            resource,
            "revalidate",
            actor=actor,
            who=SYSTEM,
            organisation=resource.owner,
            fields=["published_at", "updated_at"],
            log={"comment": comment},
            audit={"comment": comment},
        )
    search.index_resource(resource)
    audit_log(
        actor=actor,
        action="training.resource.updated",
        obj=resource,
        organisation=resource.owner,
        data={"before": before, "after": {"title": title, "audience": audience, "kind": kind}},
    )
    return resource


@transaction.atomic
def resource_version_add(*, actor, membership, resource, file=None, url="", note=""):
    resource = _locked(resource)
    if not can_edit(membership, resource):
        raise Forbidden("Seuls l'opérateur propriétaire et la coordination la modifient.")
    if resource.status == ResourceStatus.ARCHIVED:
        raise DomainError("Remettez la ressource en brouillon avant d'ajouter une version.")
    version = _version_add(actor=actor, resource=resource, file=file, url=url, note=note)
    resource.save(update_fields=["updated_at"])
    audit_log(
        actor=actor,
        action="training.resource.version_added",
        obj=resource,
        organisation=resource.owner,
        data={"version": version.number, "note": version.note},
    )
    return version


@transaction.atomic
def resource_transition(*, actor, membership, resource, to_status, comment=""):
    """Move a resource to `to_status` if the declared table allows it for this actor."""
    resource = _locked(resource)
    action = action_to(resource.status, to_status)
    if action is None:
        raise DomainError(
            f"Une ressource « {resource.get_status_display().lower()} » ne peut pas passer à "
            f"« {dict(ResourceStatus.choices).get(to_status, to_status).lower()} ».",
            code="illegal_transition",
        )
    fields = ["updated_at"]
    if to_status == ResourceStatus.DRAFT:
        resource.published_at = None
        fields.append("published_at")
    comment = (comment or "").strip()
    RESOURCE_WORKFLOW.apply(
        resource,
        action,
        actor=actor,
        who=_actor_capacities(membership, resource),
        organisation=resource.owner,
        fields=fields,
        log={"comment": comment},
        audit={"comment": comment},
    )
    return resource


def resource_download_record(*, resource, version):
    """Count one download (an atomic increment: concurrent downloads never lose a count)."""
    with transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
        ResourceVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)
