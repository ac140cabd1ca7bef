"""Agenda pages: add, edit, move and remove the items of a meeting's agenda."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import selectors, services
from maillage.governance.forms import AgendaItemForm
from maillage.governance.models import AgendaItem
from maillage.governance.views.common import library_documents, require_edit, show_error
from maillage.governance.views.meetings import meeting_of


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
    meeting = meeting_of(request, pk)
    require_edit(request, meeting.committee)
    agenda = selectors.agenda_of(meeting)
    form = AgendaItemForm(
        request.POST, parents=agenda, prefix="item", resources=library_documents(request)
    )
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
            "document_resource",
            "document_title",
            "document_url",
            "notes",
            "carry_over",
        )
    }
    form = AgendaItemForm(
        request.POST or None,
        initial=initial,
        parents=None,
        resources=library_documents(request),
        legacy_document=bool(item.document_url or item.document_title),
    )
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
