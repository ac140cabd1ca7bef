"""Reads of the library: what a visitor or a member may see, searched and filtered."""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from maillage.accounts.enums import Role
from maillage.training import search
from maillage.training.enums import Audience, ResourceStatus
from maillage.training.models import Resource, ResourceVersion


def audiences_for(membership):
    """The audiences a visitor (membership None) or a member may read."""
    if membership is None:
        return [Audience.PUBLIC]
    if membership.role in (Role.COMMITTEE_MEMBER, Role.COORDINATOR):
        return [Audience.PUBLIC, Audience.PARTNERS, Audience.COMMITTEE]
    return [Audience.PUBLIC, Audience.PARTNERS]


def resources_visible_to(membership):
    """Every resource `membership` may open: published ones of its audiences, its own
    organisation's in any state and, for coordinators, those waiting for validation."""
    condition = Q(status=ResourceStatus.PUBLISHED, audience__in=audiences_for(membership))
    if membership is not None:
        condition |= Q(owner_id=membership.organisation_id)
        if membership.role == Role.COORDINATOR:
            condition |= Q(status__in=[ResourceStatus.SUBMITTED, ResourceStatus.ARCHIVED])
    return Resource.objects.filter(condition)


def _with_related(queryset):
    return queryset.select_related("owner").prefetch_related(
        Prefetch(
            "versions",
            queryset=ResourceVersion.objects.select_related("created_by").order_by("-number"),
        )
    )


def library_search(*, membership, q=None, theme=None, kind=None, owner=None, audience=None):
    """The published catalogue as `membership` sees it, searched (ranked) and filtered."""
    resources = resources_visible_to(membership).filter(status=ResourceStatus.PUBLISHED)
    if theme:
        # themes is a small JSON list of slugs: a quoted text match works on both databases.
        resources = resources.filter(themes__icontains=f'"{theme}"')
    if kind:
        resources = resources.filter(kind=kind)
    if owner:
        resources = resources.filter(owner__slug=owner)
    if audience:
        resources = resources.filter(audience=audience)
    if q and q.strip():
        resources = search.search(resources, q.strip())
    else:
        resources = resources.order_by("-published_at", "-id")
    return _with_related(resources)


def resource_get(*, membership, pk):
    """One resource `membership` may see; anything else (missing or not theirs) is a 404."""
    return get_object_or_404(
        _with_related(resources_visible_to(membership)).prefetch_related("transitions__actor"),
        pk=pk,
    )


def resources_of_organisation(organisation):
    return _with_related(Resource.objects.filter(owner=organisation)).order_by("-updated_at")


def resources_waiting_validation():
    return _with_related(Resource.objects.filter(status=ResourceStatus.SUBMITTED)).order_by(
        "updated_at"
    )


def version_get(resource, number=None):
    versions = list(resource.versions.all())
    if number is None:
        if not versions:
            raise Http404
        return versions[0]
    for version in versions:
        if version.number == number:
            return version
    raise Http404
