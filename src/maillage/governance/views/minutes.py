"""Minutes pages: item by item with the revision lock, history and diff, approval, PDF."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import pdf, selectors, services
from maillage.governance.forms import MinutesForm
from maillage.governance.minutes_diff import diff_revisions
from maillage.governance.models import Minutes
from maillage.governance.views.common import access_for, require_edit


def _minutes_of(meeting):
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


@membership_required()
def minutes_edit(request, pk):
    meeting = selectors.meeting_get(request.user, request.membership, pk)
    require_edit(request, meeting.committee)
    minutes = _minutes_of(meeting)
    items = selectors.minutes_by_item(meeting)
    conflict = None
    if request.method == "POST":
        form = MinutesForm(request.POST, items=items)
        if form.is_valid():
            try:
                minutes, changed = services.minutes_save(
                    actor=request.user,
                    membership=request.membership,
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    items=form.item_texts(),
                    base_revision=form.cleaned_data["base_revision"],
                )
            except services.MinutesConflict as error:
                conflict = error
                # The fields keep the person's own texts; the lock moves to the saved revision
                # so that saving again, after merging, is a deliberate act.
                initial = {"text": error.submitted, "base_revision": error.current.revision}
                initial.update({f"item_{k}": v for k, v in error.submitted_items.items()})
                items = selectors.minutes_by_item(meeting)
                form = MinutesForm(initial=initial, items=items)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                if changed:
                    messages.success(
                        request, f"Compte rendu enregistré (version {minutes.revision})."
                    )
                else:
                    messages.info(request, "Aucun changement à enregistrer.")
                return redirect("governance:minutes_edit", pk=meeting.pk)
    else:
        form = MinutesForm(
            initial={"text": minutes.text, "base_revision": minutes.revision}, items=items
        )
    return render(
        request,
        "governance/minutes_form.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "items": items,
            "conflict": conflict,
            "unplaced_decisions": meeting.decisions.filter(agenda_item__isnull=True),
            "unplaced_actions": meeting.actions.filter(agenda_item__isnull=True),
        },
        status=409 if conflict else 200,
    )


@membership_required()
def minutes_history(request, pk):
    meeting = selectors.meeting_get(request.user, request.membership, pk)
    minutes = _minutes_of(meeting)
    revisions = minutes.revisions.select_related("author")
    return render(
        request,
        "governance/minutes_history.html",
        {"meeting": meeting, "minutes": minutes, "revisions": revisions},
    )


def _revision_number(value):
    return int(value) if value and value.isdigit() and len(value) < 9 else None


@membership_required()
def minutes_diff(request, pk):
    """Two revisions compared (`?de=1&a=3`; by default the last one with the one before)."""
    meeting = selectors.meeting_get(request.user, request.membership, pk)
    minutes = _minutes_of(meeting)
    revisions = {r.number: r for r in minutes.revisions.select_related("author")}
    if len(revisions) < 2:
        return render(
            request,
            "governance/minutes_diff.html",
            {"meeting": meeting, "minutes": minutes, "too_few": True},
        )
    new_number = _revision_number(request.GET.get("a")) or max(revisions)
    old_number = _revision_number(request.GET.get("de")) or new_number - 1
    if old_number not in revisions or new_number not in revisions:
        raise Http404
    if old_number > new_number:
        old_number, new_number = new_number, old_number
    old, new = revisions[old_number], revisions[new_number]
    return render(
        request,
        "governance/minutes_diff.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "old": old,
            "new": new,
            "numbers": sorted(revisions),
            **diff_revisions(old, new),
        },
    )


@require_POST
@membership_required()
def minutes_approve(request, pk):
    """Approve, during meeting `pk`, the minutes of the meeting posted as `minutes_meeting`."""
    at_meeting = selectors.meeting_get(request.user, request.membership, pk)
    require_edit(request, at_meeting.committee)
    posted = request.POST.get("minutes_meeting", "")
    approved_meeting = selectors.meeting_get(
        request.user, request.membership, int(posted) if posted.isdigit() else 0
    )
    minutes = get_object_or_404(Minutes, meeting=approved_meeting)
    try:
        services.minutes_approve(
            actor=request.user,
            membership=request.membership,
            minutes=minutes,
            at_meeting=at_meeting,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Compte rendu de la réunion du "
            f"{timezone.localtime(approved_meeting.starts_at):%d/%m/%Y} "
            "approuvé : il est désormais figé.",
        )
    return redirect(f"{at_meeting.get_absolute_url()}#ordre-du-jour")


def _print_context(request, meeting):
    minutes = _minutes_of(meeting)
    agenda = selectors.agenda_of(meeting)
    return {
        "meeting": meeting,
        "minutes": minutes,
        "agenda": agenda,
        "written_items": [
            item
            for item in selectors.minutes_by_item(meeting)
            if item.minutes_text or item.minutes_decisions or item.minutes_actions
        ],
        "attendance": selectors.attendance_of(meeting),
        "decisions": meeting.decisions.order_by("year", "sequence"),
        "actions": meeting.actions.select_related("owner_organisation", "owner_user", "decision"),
        "generated_at": timezone.now(),
    }


@membership_required()
def minutes_export(request, pk):
    """The PDF when WeasyPrint works here; otherwise the print page, with a French notice."""
    meeting = selectors.meeting_get(request.user, request.membership, pk)
    access_for(request, meeting.committee)
    context = _print_context(request, meeting)
    stem = f"compte-rendu-{meeting.committee.code}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
    if request.GET.get("format") != "html" and pdf.weasyprint_available():
        html = render_to_string(
            "governance/minutes_print.html", {**context, "for_pdf": True}, request
        )
        response = HttpResponse(
            pdf.render_pdf(html, base_url=request.build_absolute_uri("/")),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return response
    context["pdf_missing"] = request.GET.get("format") != "html"
    response = render(request, "governance/minutes_print.html", context)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{stem}.html"'
    return response
