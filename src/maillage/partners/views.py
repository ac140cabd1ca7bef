"""Directory pages (public) and organisation management (coordinators)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.partners import selectors, services
from maillage.partners.forms import (
    DirectoryFilterForm,
    OrganisationForm,
    OrganisationProfileForm,
    SiteForm,
)
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
    sites = selectors.sites_of(organisation)
    return render(request, "partners/my_organisation.html", {"form": form, "sites": sites})


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
