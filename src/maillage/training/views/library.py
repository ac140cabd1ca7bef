"""Library pages: the catalogue (public), a resource, downloads, and the members' management."""

from django.contrib import messages
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.training.enums import ResourceStatus
from maillage.training.forms.library import (
    LibraryFilterForm,
    ResourceCreateForm,
    ResourceMetaForm,
    TransitionForm,
    VersionForm,
)
from maillage.training.selectors import library as selectors
from maillage.training.selectors import sessions as session_selectors
from maillage.training.services import library as services
from maillage.training.views.common import form_error, paginate, query_without_page

AUTHORS = (Role.COUNSELLOR, Role.MANAGER, Role.COORDINATOR)


def catalogue(request):
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    resources = selectors.library_search(
        membership=request.membership,
        q=filters.get("q"),
        theme=filters.get("theme"),
        kind=filters.get("kind"),
        owner=filters.get("owner"),
        audience=filters.get("audience"),
    )
    page = paginate(request, resources)
    return render(
        request,
        "training/library/catalogue.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "searched": bool(filters.get("q")),
        },
    )


def resource_detail(request, pk):
    resource = selectors.resource_get(membership=request.membership, pk=pk)
    membership = request.membership
    transitions = services.allowed_transitions(membership, resource)
    return render(
        request,
        "training/library/detail.html",
        {
            "resource": resource,
            "versions": list(resource.versions.all()),
            "can_edit": services.can_edit(membership, resource),
            "transitions": transitions,
            "sessions": session_selectors.sessions_visible_to(membership).filter(
                resources=resource
            ),
        },
    )


def download_response(resource, version):
    """Count the download and answer it: a redirect for a link, an attachment for a file."""
    services.resource_download_record(resource=resource, version=version)
    if version.is_link:
        return HttpResponseRedirect(version.url)
    # Always an attachment with a fixed, allow-listed type: the browser never renders it.
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name or "fichier",
        content_type=version.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def resource_download(request, pk, number=None):
    resource = selectors.resource_get(membership=request.membership, pk=pk)
    return download_response(resource, selectors.version_get(resource, number))


@membership_required()
def manage(request):
    membership = request.membership
    context = {"own": selectors.resources_of_organisation(membership.organisation)}
    if membership.role == Role.COORDINATOR:
        context["waiting"] = selectors.resources_waiting_validation()
    return render(request, "training/library/manage.html", context)


@membership_required(*AUTHORS)
def resource_create(request):
    form = ResourceCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.resource_create(
                actor=request.user,
                membership=request.membership,
                title=data["title"],
                summary=data["summary"],
                kind=data["kind"],
                themes=data["themes"],
                audience=data["audience"],
                file=data.get("file"),
                url=data.get("url") or "",
                note=data.get("note") or "",
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                f"La ressource « {resource.title} » est enregistrée en brouillon. "
                "Soumettez-la à validation pour la publier.",
            )
            return redirect(resource)
    return render(request, "training/library/form.html", {"form": form, "creating": True})


@membership_required(*AUTHORS)
def resource_edit(request, pk):
    resource = selectors.resource_get(membership=request.membership, pk=pk)
    if not services.can_edit(request.membership, resource):
        messages.error(request, "Seuls l'opérateur propriétaire et la coordination la modifient.")
        return redirect(resource)
    initial = {
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "themes": resource.themes,
        "audience": resource.audience,
    }
    form = ResourceMetaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                actor=request.user,
                membership=request.membership,
                resource=resource,
                **form.cleaned_data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, "La description de la ressource est enregistrée.")
            return redirect(resource)
    return render(request, "training/library/form.html", {"form": form, "resource": resource})


@membership_required(*AUTHORS)
def version_add(request, pk):
    resource = selectors.resource_get(membership=request.membership, pk=pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.resource_version_add(
                actor=request.user,
                membership=request.membership,
                resource=resource,
                file=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
                note=form.cleaned_data.get("note") or "",
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"La version {version.number} est ajoutée.")
            return redirect(resource)
    return render(
        request,
        "training/library/form.html",
        {"form": form, "resource": resource, "new_version": True},
    )


@require_POST
@membership_required()
def resource_transition(request, pk):
    resource = selectors.resource_get(membership=request.membership, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.resource_transition(
                actor=request.user,
                membership=request.membership,
                resource=resource,
                to_status=form.cleaned_data["to_status"],
                comment=form.cleaned_data["comment"],
            )
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", "Cet état n'existe pas."))
        else:
            resource.refresh_from_db()
            labels = {
                ResourceStatus.SUBMITTED: "La ressource est soumise à la coordination.",
                ResourceStatus.PUBLISHED: "La ressource est validée et publiée.",
                ResourceStatus.DRAFT: "La ressource est revenue en brouillon.",
                ResourceStatus.ARCHIVED: "La ressource est archivée.",
            }
            messages.success(request, labels[resource.status])
    return redirect(resource)
