"""Meeting pages: scheduling, editing, cancelling, marking held, invitation download."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import ics, selectors, services
from maillage.governance.enums import MeetingStatus
from maillage.governance.forms import AgendaItemForm, CancelForm, DecisionForm, MeetingForm
from maillage.governance.views.common import (
    access_for,
    library_documents,
    require_edit,
    show_error,
)
from maillage.governance.workflow import EDITOR, MEETING_WORKFLOW


def meeting_of(request, pk):
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
    meeting = meeting_of(request, pk)
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
        "can_mark_held": access.can_edit
        and MEETING_WORKFLOW.can(meeting, "held", EDITOR)
        and meeting.starts_at <= timezone.now(),
    }
    if access.can_edit and meeting.status != MeetingStatus.CANCELLED:
        # Prefixes: both forms sit on one page and must not share element ids.
        context["item_form"] = AgendaItemForm(
            parents=agenda, prefix="item", resources=library_documents(request)
        )
        point = request.GET.get("point", "")
        context["decision_form"] = DecisionForm(
            items=agenda,
            prefix="decision",
            held=meeting.status == MeetingStatus.HELD,
            initial={"agenda_item": int(point)} if point.isdigit() else None,
        )
    return render(request, "governance/meeting_detail.html", context)


@membership_required()
def meeting_edit(request, pk):
    meeting = meeting_of(request, pk)
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
    meeting = meeting_of(request, pk)
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


@membership_required()
def meeting_held(request, pk):
    """GET: the confirmation, or why not yet (a future meeting); POST: mark the meeting held."""
    meeting = meeting_of(request, pk)
    require_edit(request, meeting.committee)
    if request.method == "POST":
        try:
            services.meeting_mark_held(
                actor=request.user, membership=request.membership, meeting=meeting
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "La réunion est marquée comme tenue.")
        return redirect(meeting)
    started = meeting.starts_at <= timezone.now()
    return render(
        request,
        "governance/meeting_held.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "allowed": MEETING_WORKFLOW.can(meeting, "held", EDITOR),
            "started": started,
        },
    )


@membership_required()
def meeting_ics(request, pk):
    meeting = meeting_of(request, pk)
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
