"""Meeting pages: scheduling, agenda, attendance, invitation download."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import ics, selectors, services
from maillage.governance.enums import AttendanceStatus, MeetingStatus
from maillage.governance.forms import (
    ActionForm,
    AgendaItemForm,
    CancelForm,
    DecisionForm,
    MeetingForm,
)
from maillage.governance.models import AgendaItem
from maillage.governance.views.common import access_for, require_edit, show_error


def _meeting(request, pk):
    return selectors.meeting_get(request.user, request.membership, pk)


@membership_required()
def meeting_create(request, slug):
    committee = selectors.committee_get(request.user, request.membership, slug)
    require_edit(request, committee)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting, recipients = services.meeting_schedule(
                actor=request.user,
                membership=request.membership,
                committee=committee,
                **form.cleaned_data,
            )
        except DomainError as error:
            show_error(request, form, error)
        else:
            messages.success(
                request,
                f"Réunion programmée : {recipients} invitation(s) envoyée(s) avec le fichier "
                "d'agenda (.ics). L'ordre du jour a été pré-rempli.",
            )
            return redirect(meeting)
    return render(request, "governance/meeting_form.html", {"committee": committee, "form": form})


@membership_required()
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    access = access_for(request, meeting.committee)
    agenda = selectors.agenda_of(meeting)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "access": access,
        "agenda": agenda,
        "agenda_total": selectors.agenda_duration(agenda),
        "attendance": selectors.attendance_of(meeting),
        "minutes": getattr(meeting, "minutes", None),
        "previous": selectors.previous_meeting(meeting),
        "decisions": meeting.decisions.order_by("year", "sequence"),
        "actions": meeting.actions.select_related("owner_organisation", "owner_user", "decision"),
        "now": timezone.now(),
    }
    if access.can_edit and meeting.status != MeetingStatus.CANCELLED:
        # Prefixes: both forms sit on one page and must not share element ids.
        context["item_form"] = AgendaItemForm(parents=agenda, prefix="item")
        context["decision_form"] = DecisionForm(items=agenda, prefix="decision")
    return render(request, "governance/meeting_detail.html", context)


@membership_required()
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    require_edit(request, meeting.committee)
    initial = {
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "location": meeting.location,
        "video_url": meeting.video_url,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting, changed = services.meeting_update(
                actor=request.user,
                membership=request.membership,
                meeting=meeting,
                **form.cleaned_data,
            )
        except DomainError as error:
            show_error(request, form, error)
        else:
            if changed:
                messages.success(
                    request, "Réunion modifiée : les membres ont reçu l'invitation mise à jour."
                )
            else:
                messages.info(request, "Aucun changement.")
            return redirect(meeting)
    return render(
        request,
        "governance/meeting_form.html",
        {"committee": meeting.committee, "form": form, "meeting": meeting},
    )


@membership_required()
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk)
    require_edit(request, meeting.committee)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user,
                membership=request.membership,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Réunion annulée : les membres ont reçu l'annulation.")
        return redirect(meeting)
    return render(request, "governance/meeting_cancel.html", {"meeting": meeting, "form": form})


@require_POST
@membership_required()
def meeting_held(request, pk):
    meeting = _meeting(request, pk)
    require_edit(request, meeting.committee)
    try:
        services.meeting_mark_held(
            actor=request.user, membership=request.membership, meeting=meeting
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "La réunion est marquée comme tenue.")
    return redirect(meeting)


@membership_required()
def meeting_ics(request, pk):
    meeting = _meeting(request, pk)
    method = ics.METHOD_CANCEL if meeting.is_cancelled else ics.METHOD_REQUEST
    day = timezone.localtime(meeting.starts_at).date()
    content = ics.meeting_calendar(
        meeting,
        method=method,
        attendees=selectors.members_of(meeting.committee, day),
        agenda=selectors.agenda_of(meeting),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


# --- Agenda -------------------------------------------------------------------------------


def _item(request, pk):
    """An agenda item of a meeting the person may see; anyone else's answers 404."""
    meetings = selectors.meetings_visible_to(request.user, request.membership)
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__in=meetings).select_related(
            "meeting", "meeting__committee"
        ),
        pk=pk,
    )


@require_POST
@membership_required()
def agenda_item_add(request, pk):
    meeting = _meeting(request, pk)
    require_edit(request, meeting.committee)
    agenda = selectors.agenda_of(meeting)
    form = AgendaItemForm(request.POST, parents=agenda, prefix="item")
    if form.is_valid():
        data = dict(form.cleaned_data)
        parent_id = data.pop("parent", None)
        parent = next((i for i in agenda if i.pk == parent_id), None) if parent_id else None
        try:
            item = services.agenda_item_add(
                actor=request.user,
                membership=request.membership,
                meeting=meeting,
                parent=parent,
                **data,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Point ajouté : « {item.title} ».")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{meeting.get_absolute_url()}#ordre-du-jour")


@membership_required()
def agenda_item_edit(request, pk):
    item = _item(request, pk)
    require_edit(request, item.meeting.committee)
    initial = {
        name: getattr(item, name)
        for name in (
            "title",
            "presenter",
            "duration_minutes",
            "document_title",
            "document_url",
            "notes",
            "carry_over",
        )
    }
    form = AgendaItemForm(request.POST or None, initial=initial, parents=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_edit(
                actor=request.user, membership=request.membership, item=item, **form.cleaned_data
            )
        except DomainError as error:
            show_error(request, form, error)
        else:
            messages.success(request, "Point modifié.")
            return redirect(f"{item.meeting.get_absolute_url()}#ordre-du-jour")
    return render(request, "governance/agenda_item_form.html", {"item": item, "form": form})


@require_POST
@membership_required()
def agenda_item_move(request, pk):
    item = _item(request, pk)
    require_edit(request, item.meeting.committee)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.agenda_item_move(
            actor=request.user, membership=request.membership, item=item, direction=direction
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{item.meeting.get_absolute_url()}#ordre-du-jour")


@require_POST
@membership_required()
def agenda_item_delete(request, pk):
    item = _item(request, pk)
    require_edit(request, item.meeting.committee)
    try:
        services.agenda_item_delete(actor=request.user, membership=request.membership, item=item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Point retiré : « {item.title} ».")
    return redirect(f"{item.meeting.get_absolute_url()}#ordre-du-jour")


# --- Attendance ---------------------------------------------------------------------------


@membership_required()
def attendance(request, pk):
    meeting = _meeting(request, pk)
    require_edit(request, meeting.committee)
    rows = selectors.attendance_of(meeting)
    if request.method == "POST":
        entries = {
            member.pk: (
                request.POST.get(f"status_{member.pk}", ""),
                request.POST.get(f"represented_by_{member.pk}", ""),
            )
            for member, _ in rows
        }
        try:
            saved = services.attendance_record(
                actor=request.user, membership=request.membership, meeting=meeting, entries=entries
            )
        except DomainError as error:
            messages.error(request, error.message)
            # Keep what was typed so nothing is lost on a refused save.
            posted = {m_id: value for m_id, value in entries.items()}
            return render(
                request,
                "governance/attendance.html",
                {
                    "meeting": meeting,
                    "rows": rows,
                    "posted": posted,
                    "statuses": AttendanceStatus.choices,
                },
                status=422,
            )
        messages.success(request, f"Présences enregistrées ({saved} membre(s)).")
        return redirect(f"{meeting.get_absolute_url()}#presences")
    posted = {
        member.pk: (record.status, record.represented_by) if record else ("", "")
        for member, record in rows
    }
    return render(
        request,
        "governance/attendance.html",
        {"meeting": meeting, "rows": rows, "posted": posted, "statuses": AttendanceStatus.choices},
    )


# --- Decisions and actions created from a meeting -------------------------------------------


@require_POST
@membership_required()
def decision_add(request, pk):
    meeting = _meeting(request, pk)
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


def action_form_for(committee, data=None):
    parties = committee.convention.parties.values("organisation_id")
    organisations = committee.convention.organisations.model.objects.filter(
        pk__in=parties
    ).order_by("name")
    return ActionForm(
        data,
        organisations=organisations,
        people=selectors.members_of(committee),
        decisions=committee.decisions.order_by("-year", "-sequence")[:100],
    )


@membership_required()
def action_add(request, pk):
    meeting = _meeting(request, pk)
    committee = meeting.committee
    require_edit(request, committee)
    form = action_form_for(committee, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner_user_id = data.pop("owner_user")
        decision_id = data.pop("decision")
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
            return redirect(f"{meeting.get_absolute_url()}#actions")
    return render(
        request,
        "governance/action_form.html",
        {"meeting": meeting, "committee": committee, "form": form},
    )
