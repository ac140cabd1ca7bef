"""Pages of "qui propose quoi": the grid (public) and each operator's offers (its managers)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.training.forms.offers import OfferForm, OffersFilterForm
from maillage.training.selectors import offers as selectors
from maillage.training.services import offers as services
from maillage.training.views.common import form_error


def grid(request):
    form = OffersFilterForm(request.GET or None, operators=selectors.operator_choices())
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    found = selectors.offers_by_operator(
        public=filters.get("public"),
        theme=filters.get("theme"),
        mode=filters.get("mode"),
        operator=filters.get("operator"),
    )
    # The theme links keep the other filters and replace the theme.
    kept = {k: v for k, v in filters.items() if k != "theme"}
    return render(
        request,
        "training/offers/grid.html",
        {"form": form, "filters": filters, "kept_query": urlencode(kept), **found},
    )


@membership_required(Role.MANAGER)
def manage(request):
    offers = selectors.offers_of(request.organisation)
    return render(request, "training/offers/manage.html", {"offers": offers})


@membership_required(Role.MANAGER)
def edit(request, pk=None):
    # `is not None`: /offres/0/ is an offer that does not exist (404), not the creation form.
    offer = (
        selectors.offer_get(organisation=request.organisation, pk=pk) if pk is not None else None
    )
    initial = {}
    if offer is not None:
        initial = {name: getattr(offer, name) for name in services.FIELDS}
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if offer is None:
                offer = services.offer_create(
                    actor=request.user, membership=request.membership, data=form.cleaned_data
                )
            else:
                offer = services.offer_update(
                    actor=request.user,
                    membership=request.membership,
                    offer=offer,
                    data=form.cleaned_data,
                )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, f"L'offre « {offer.title} » est enregistrée.")
            return redirect("training:offers_manage")
    return render(request, "training/offers/form.html", {"form": form, "offer": offer})


@require_POST
@membership_required(Role.MANAGER)
def toggle(request, pk):
    offer = selectors.offer_get(organisation=request.organisation, pk=pk)
    active = request.POST.get("active") == "1"
    services.offer_set_active(
        actor=request.user, membership=request.membership, offer=offer, active=active
    )
    messages.success(
        request,
        f"L'offre « {offer.title} » est {'réactivée' if active else 'désactivée'}.",
    )
    return redirect("training:offers_manage")
