"""The attendance page of a meeting."""

from django.contrib import messages
from django.shortcuts import redirect, render

from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.governance import selectors, services
from maillage.governance.enums import AttendanceStatus
from maillage.governance.views.common import require_edit
from maillage.governance.views.meetings import meeting_of


@membership_required()
def attendance(request, pk):
    meeting = meeting_of(request, pk)
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
