"""The partnership timeline (public) and the convention lifecycle page (coordinators)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import services
from maillage.governance.forms import AmendmentForm, PartyChangeForm
from maillage.governance.timeline import partnership_timeline
from maillage.partners.models import Convention


def timeline(request):
    return render(
        request,
        "governance/timeline.html",
        {"events": partnership_timeline(), "conventions": Convention.objects.only("slug", "title")},
    )


@membership_required(Role.COORDINATOR)
def convention_manage(request, slug):
    convention = get_object_or_404(Convention, slug=slug)
    amendment_form = AmendmentForm(
        request.POST if request.POST.get("form") == "amendment" else None
    )
    party_form = PartyChangeForm(request.POST if request.POST.get("form") == "party" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "amendment" and amendment_form.is_valid():
                amendment = services.amendment_add(
                    actor=request.user,
                    membership=request.membership,
                    convention=convention,
                    **amendment_form.cleaned_data,
                )
                messages.success(request, f"{amendment} enregistré.")
                return redirect("governance:convention_manage", slug=slug)
            if request.POST.get("form") == "party" and party_form.is_valid():
                data = dict(party_form.cleaned_data)
                kind = data.pop("kind")
                change = (services.party_join if kind == "joined" else services.party_leave)(
                    actor=request.user, membership=request.membership, convention=convention, **data
                )
                messages.success(request, f"{change} enregistrée.")
                return redirect("governance:convention_manage", slug=slug)
        except DomainError as error:
            target = amendment_form if request.POST.get("form") == "amendment" else party_form
            if error.field and error.field in target.fields:
                target.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
    return render(
        request,
        "governance/convention_manage.html",
        {
            "convention": convention,
            "ends_on": services.convention_effective_end(convention),
            "parties": convention.parties.select_related("organisation"),
            "amendments": convention.amendments.all(),
            "changes": convention.party_changes.select_related("organisation"),
            "amendment_form": amendment_form,
            "party_form": party_form,
        },
    )
