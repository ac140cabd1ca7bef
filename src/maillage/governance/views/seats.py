"""Committee seats in the app (the coordination's page): list, add, change, end."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import selectors, services
from maillage.governance.forms import SeatEndForm, SeatForm
from maillage.governance.models import CommitteeMember
from maillage.governance.views.common import show_error
from maillage.partners.models import Organisation


def _organisations(committee):
    """The parties to the committee's convention: whom a seat may represent."""
    parties = committee.convention.parties.values("organisation_id")
    return Organisation.objects.filter(pk__in=parties).order_by("name")


def _seat(request, pk):
    committees = selectors.committees_visible_to(request.user, request.membership)
    return get_object_or_404(
        CommitteeMember.objects.filter(committee__in=committees).select_related(
            "committee", "committee__convention", "user", "organisation"
        ),
        pk=pk,
    )


@membership_required(Role.COORDINATOR)
def seats(request, slug):
    committee = selectors.committee_get(request.user, request.membership, slug)
    organisations = _organisations(committee)
    form = SeatForm(
        request.POST or None,
        organisations=organisations,
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.seat_add(
                actor=request.user,
                membership=request.membership,
                committee=committee,
                **form.cleaned_data,
            )
        except DomainError as error:
            show_error(request, form, error)
        else:
            messages.success(request, f"Siège ajouté : {seat.user} ({seat.organisation.name}).")
            return redirect("governance:seats", slug=committee.slug)
    today = timezone.localdate()
    all_seats = list(
        committee.members.select_related("user", "organisation").order_by(
            selectors.ROLE_RANK, "organisation__name", "user__last_name", "-started_on"
        )
    )
    return render(
        request,
        "governance/seats.html",
        {
            "committee": committee,
            "current": [s for s in all_seats if s.is_current_on(today)],
            "other": [s for s in all_seats if not s.is_current_on(today)],
            "form": form,
            "today": today,
        },
    )


@membership_required(Role.COORDINATOR)
def seat_edit(request, pk):
    seat = _seat(request, pk)
    initial = {
        "organisation": seat.organisation,
        "role": seat.role,
        "started_on": seat.started_on,
        "ended_on": seat.ended_on,
    }
    form = SeatForm(
        request.POST or None,
        organisations=_organisations(seat.committee),
        adding=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_change(
                actor=request.user, membership=request.membership, seat=seat, **form.cleaned_data
            )
        except DomainError as error:
            show_error(request, form, error)
        else:
            messages.success(request, f"Siège de {seat.user} modifié.")
            return redirect("governance:seats", slug=seat.committee.slug)
    end_form = SeatEndForm(initial={"ended_on": timezone.localdate()})
    return render(
        request,
        "governance/seat_form.html",
        {"seat": seat, "committee": seat.committee, "form": form, "end_form": end_form},
    )


@membership_required(Role.COORDINATOR)
def seat_end(request, pk):
    seat = _seat(request, pk)
    if request.method != "POST":
        return redirect("governance:seat_edit", pk=seat.pk)
    form = SeatEndForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.seat_end(
            actor=request.user,
            membership=request.membership,
            seat=seat,
            ended_on=form.cleaned_data["ended_on"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("governance:seat_edit", pk=seat.pk)
    messages.success(request, f"Mandat de {seat.user} terminé.")
    return redirect("governance:seats", slug=seat.committee.slug)
