"""What a meeting produces: decisions and actions recorded from its page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import selectors, services
from maillage.governance.forms import ActionForm, DecisionForm
from maillage.governance.views.common import require_edit, show_error
from maillage.governance.views.meetings import meeting_of


@require_POST
@membership_required()
def decision_add(request, pk):
    meeting = meeting_of(request, pk)
    require_edit(request, meeting.committee)
    agenda = selectors.agenda_of(meeting)
    form = DecisionForm(request.POST, items=agenda, prefix="decision")
    if form.is_valid():
        data = dict(form.cleaned_data)
        item_id = data.pop("agenda_item")
        item = meeting.agenda_items.filter(pk=item_id).first() if item_id else None
        try:
            decision = services.decision_create(
                actor=request.user,
                membership=request.membership,
                committee=meeting.committee,
                meeting=meeting,
                agenda_item=item,
                **data,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Décision {decision.reference} enregistrée.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{meeting.get_absolute_url()}#decisions")


def action_form_for(committee, data=None, *, meeting=None, initial=None):
    parties = committee.convention.parties.values("organisation_id")
    organisations = committee.convention.organisations.model.objects.filter(
        pk__in=parties
    ).order_by("name")
    return ActionForm(
        data,
        organisations=organisations,
        people=selectors.members_of(committee),
        decisions=committee.decisions.order_by("-year", "-sequence")[:100],
        items=selectors.agenda_of(meeting) if meeting is not None else (),
        initial=initial,
    )


@membership_required()
def action_add(request, pk):
    meeting = meeting_of(request, pk)
    committee = meeting.committee
    require_edit(request, committee)
    point = request.GET.get("point", "")
    form = action_form_for(
        committee,
        request.POST or None,
        meeting=meeting,
        initial={"agenda_item": int(point)} if point.isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner_user_id = data.pop("owner_user")
        decision_id = data.pop("decision")
        item_id = data.pop("agenda_item", None)
        data["agenda_item"] = meeting.agenda_items.filter(pk=item_id).first() if item_id else None
        owner_user = None
        if owner_user_id:
            owner_user = next(
                (s.user for s in selectors.members_of(committee) if s.user_id == owner_user_id),
                None,
            )
        decision = committee.decisions.filter(pk=decision_id).first() if decision_id else None
        try:
            action = services.action_create(
                actor=request.user,
                membership=request.membership,
                committee=committee,
                meeting=meeting,
                owner_user=owner_user,
                decision=decision,
                **data,
            )
        except DomainError as error:
            show_error(request, form, error)
        else:
            messages.success(request, f"Action ajoutée : « {action.title} ».")
            if action.agenda_item_id:
                return redirect(
                    f"{reverse('governance:minutes_edit', args=[meeting.pk])}"
                    f"#point-{action.agenda_item_id}"
                )
            return redirect(f"{meeting.get_absolute_url()}#actions")
    return render(
        request,
        "governance/action_form.html",
        {"meeting": meeting, "committee": committee, "form": form},
    )
