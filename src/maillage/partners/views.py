"""Directory pages (public) and organisation management (coordinators)."""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.partners import exports, selectors, services
from maillage.partners.completeness import organisation_completeness
from maillage.partners.forms import (
    DirectoryFilterForm,
    DirectoryImportForm,
    OfferDistributionForm,
    OrganisationForm,
    OrganisationProfileForm,
    SiteForm,
)
from maillage.partners.import_files import import_file_drop, import_file_keep, import_file_read
from maillage.partners.importer import ImportFileError, directory_import
from maillage.partners.models import Organisation


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.directory_list(
        public=filters.get("public"),
        department=filters.get("department"),
        kind=filters.get("kind"),
        q=filters.get("q"),
    )
    return render(
        request, "partners/directory.html", {"form": form, "organisations": organisations}
    )


def organisation_detail(request, slug):
    organisation = selectors.organisation_public_get(slug)
    return render(request, "partners/organisation_detail.html", {"organisation": organisation})


@membership_required(Role.COORDINATOR)
def manage_list(request):
    return render(
        request, "partners/manage_list.html", {"organisations": selectors.organisations_all()}
    )


@membership_required(Role.COORDINATOR)
def manage_edit(request, slug=None):
    instance = get_object_or_404(Organisation, slug=slug) if slug else Organisation()
    form = OrganisationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_save(actor=request.user, form=form)
        messages.success(request, f"L'organisation « {organisation.name} » est enregistrée.")
        return redirect("partners:manage_list")
    return render(request, "partners/manage_edit.html", {"form": form, "instance": instance})


@membership_required(Role.MANAGER)
def my_organisation(request):
    organisation = request.organisation
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_profile_update(actor=request.user, form=form)
        messages.success(request, "La fiche de l'organisation est à jour.")
        return redirect("partners:my_organisation")
    context = {
        "form": form,
        "sites": selectors.sites_of(organisation).select_related("commune"),
        "offers": selectors.offers_of(organisation),
        "completeness": organisation_completeness(organisation),
    }
    return render(request, "partners/my_organisation.html", context)


@membership_required(Role.MANAGER)
def offer_distribution(request, public_id):
    offer = selectors.offer_get(organisation=request.organisation, public_id=public_id)
    form = OfferDistributionForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        services.offer_distribution_update(actor=request.user, form=form)
        messages.success(request, f"L'offre « {offer.title} » est à jour.")
        return redirect("partners:my_organisation")
    return render(request, "partners/offer_distribution.html", {"form": form, "offer": offer})


def directory_data(request):
    """The downloadable files of the directory (built each night by the worker) and the API."""
    manifest = exports.manifest_read()
    return render(request, "partners/directory_data.html", {"manifest": manifest})


def directory_file(request, name):
    handle = exports.file_open(name)
    if handle is None:
        raise Http404
    return FileResponse(handle, content_type="application/json; charset=utf-8")


@membership_required(Role.COORDINATOR)
def directory_import_page(request):
    """Upload a data·inclusion file, see what would change, then apply it."""
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        token = None
    form = DirectoryImportForm(request.POST or None, request.FILES or None, token=token)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            token = import_file_keep(content=upload.read(), filename=upload.name)
        kept = import_file_read(token)
        if kept is None:
            messages.error(request, "Ce fichier n'est plus disponible : déposez-le de nouveau.")
            return redirect("partners:directory_import")
        content, filename = kept
        apply = request.POST.get("apply") == "on" and upload is None
        try:
            report = directory_import(
                actor=request.user, content=content, filename=filename, apply=apply
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if apply:
                import_file_drop(token)
                messages.success(request, report.summary_fr())
                token = None
    return render(
        request,
        "partners/directory_import.html",
        {"form": form, "report": report, "token": token},
    )


@membership_required(Role.MANAGER)
def site_edit(request, site_id=None):
    organisation = request.organisation
    # `is not None`: /sites/0/ is a site that does not exist (404), not the creation form.
    site = (
        selectors.site_get(organisation=organisation, site_id=site_id)
        if site_id is not None
        else None
    )
    form = SiteForm(request.POST or None, instance=site, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.site_save(actor=request.user, form=form)
        messages.success(request, "Le site est enregistré.")
        return redirect("partners:my_organisation")
    return render(request, "partners/site_edit.html", {"form": form, "site": site})


@require_POST
@membership_required(Role.MANAGER)
def site_delete(request, site_id):
    site = selectors.site_get(organisation=request.organisation, site_id=site_id)
    services.site_delete(actor=request.user, site=site)
    messages.success(request, f"Le site « {site.name} » est supprimé.")
    return redirect("partners:my_organisation")
