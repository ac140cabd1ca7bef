"""Committee pages, decisions register, actions and their follow-up lists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.core.parsing import int_parse
from maillage.governance import selectors, services
from maillage.governance.enums import ActionStatus, DecisionStatus, MeetingStatus
from maillage.governance.forms import ActionUpdateForm, DecisionStatusForm
from maillage.governance.views.common import access_for, require_edit, show_error
from maillage.governance.workflow import ACTION_WORKFLOW, DECISION_WORKFLOW, EDITOR, UPDATER


@membership_required()
def committee_list(request):
    committees = selectors.committees_visible_to(request.user, request.membership)
    seats = {
        seat.committee_id: seat
        for seat in request.user.committee_seats.current().select_related("committee")
    }
    rows = []
    today = timezone.localdate()
    for committee in committees:
        actions = committee.actions.all()
        rows.append(
            {
                "committee": committee,
                "seat": seats.get(committee.pk),
                "next_meeting": committee.meetings.filter(starts_at__gte=timezone.now())
                .exclude(status=MeetingStatus.CANCELLED)
                .order_by("starts_at")
                .first(),
                "open_actions": actions.open().count(),
                "overdue_actions": actions.overdue(today).count(),
            }
        )
    return render(request, "governance/committee_list.html", {"rows": rows})


@membership_required()
def committee_detail(request, slug):
    committee = selectors.committee_get(request.user, request.membership, slug)
    now = timezone.now()
    meetings = selectors.meetings_of(committee)
    return render(
        request,
        "governance/committee_detail.html",
        {
            "committee": committee,
            "access": access_for(request, committee),
            "members": selectors.members_of(committee),
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:20],
            "recent_decisions": committee.decisions.select_related("meeting")[:5],
            "overdue": committee.actions.overdue().select_related("owner_organisation")[:20],
        },
    )


@membership_required()
def decision_register(request, slug):
    committee = selectors.committee_get(request.user, request.membership, slug)
    decisions = committee.decisions.select_related("meeting", "agenda_item").order_by(
        "-year", "-sequence"
    )
    status = request.GET.get("status")
    if status in DecisionStatus.values:
        decisions = decisions.filter(status=status)
    try:
        year = int_parse(request.GET.get("year"), field="year", minimum=1900, maximum=2100)
    except DomainError:
        year = None  # not a year of this domain: the register is shown whole
    if year:
        decisions = decisions.filter(year=year)
    page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/decision_register.html",
        {
            "committee": committee,
            "page": page,
            "statuses": DecisionStatus.choices,
            "status": status,
            "years": committee.decisions.order_by("-year")
            .values_list("year", flat=True)
            .distinct(),
            "year": str(year) if year else "",
        },
    )


@membership_required()
def decision_detail(request, pk):
    decision = selectors.decision_get(request.user, request.membership, pk)
    access = access_for(request, decision.committee)
    allowed = DECISION_WORKFLOW.available(decision, EDITOR)
    form = DecisionStatusForm(request.POST or None)
    form.fields["status"].choices = [c for c in DecisionStatus.choices if c[0] in allowed]
    if request.method == "POST":
        require_edit(request, decision.committee)
        if form.is_valid():
            try:
                services.decision_set_status(
                    actor=request.user,
                    membership=request.membership,
                    decision=decision,
                    status=form.cleaned_data["status"],
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(request, "État de la décision mis à jour.")
                return redirect(decision)
    return render(
        request,
        "governance/decision_detail.html",
        {
            "decision": decision,
            "access": access,
            "form": form if allowed else None,
            "transitions": decision.transitions.select_related("actor"),
            "actions": decision.actions.select_related("owner_organisation"),
        },
    )


@membership_required()
def actions_overview(request, slug=None):
    """Every visible action with filters; overdue ones grouped per committee and per owner."""
    visible = selectors.actions_visible_to(request.user, request.membership)
    committee = selectors.committee_get(request.user, request.membership, slug) if slug else None
    if committee is not None:
        visible = visible.filter(committee=committee)
    status = request.GET.get("status", "open")
    if status not in ("open", "overdue", "all", *ActionStatus.values):
        status = "open"
    owner = request.GET.get("owner", "")
    actions = selectors.actions_filter(
        visible, status=None if status == "all" else status, owner_slug=owner or None
    )
    owners = (
        visible.values_list("owner_organisation__slug", "owner_organisation__name")
        .order_by("owner_organisation__name")
        .distinct()
    )
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/actions.html",
        {
            "committee": committee,
            "page": page,
            "status": status,
            "owner": owner,
            "owners": owners,
            "statuses": [
                ("open", "Ouvertes (en cours comprises)"),
                ("overdue", "En retard"),
                ("all", "Toutes"),
                *ActionStatus.choices,
            ],
            "overdue_by_committee": selectors.overdue_by_committee(visible),
            "overdue_by_owner": selectors.overdue_by_owner(visible),
            "today": timezone.localdate(),
        },
    )


@membership_required()
def action_detail(request, pk):
    action = selectors.action_get(request.user, request.membership, pk)
    can_update = services.can_update_action(request.user, request.membership, action)
    can_edit = access_for(request, action.committee).can_edit
    form = ActionUpdateForm(
        request.POST or None,
        initial={"status": action.status, "progress": action.progress, "due_on": action.due_on},
    )
    if not can_edit:
        del form.fields["due_on"]
    # The states offered are the current one and those the table allows from it.
    reachable = {action.status, *ACTION_WORKFLOW.available(action, UPDATER)}
    form.fields["status"].choices = [c for c in ActionStatus.choices if c[0] in reachable]
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied(
                "Seuls les responsables de l'action et le secrétariat le peuvent."
            )
        if form.is_valid():
            try:
                services.action_update(
                    actor=request.user,
                    membership=request.membership,
                    action=action,
                    **form.cleaned_data,
                )
            except DomainError as error:
                show_error(request, form, error)
            else:
                messages.success(request, "Action mise à jour.")
                return redirect(action)
    return render(
        request,
        "governance/action_detail.html",
        {
            "action": action,
            "form": form if can_update else None,
            "updates": action.updates.select_related("author"),
            "reminders": action.reminders.order_by("sent_at"),
            "overdue": action.is_overdue(),
        },
    )
