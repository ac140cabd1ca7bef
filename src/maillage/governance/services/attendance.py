"""Attendance at a meeting: present, excused, absent or represented, per seated member."""

from django.db import transaction

from maillage.core.audit import audit_log
from maillage.core.errors import DomainError
from maillage.governance.enums import AttendanceStatus
from maillage.governance.models import Attendance, CommitteeMember
from maillage.governance.services.agenda import _editable_meeting


@transaction.atomic
def attendance_record(*, actor, membership, meeting, entries):
    """Record attendance: `entries` maps a CommitteeMember id to (status, represented_by)."""
    meeting = _editable_meeting(actor, membership, meeting)
    allowed = set(
        CommitteeMember.objects.filter(committee=meeting.committee).values_list("pk", flat=True)
    )
    saved = 0
    for member_id, (status, represented_by) in entries.items():
        if member_id not in allowed:
            raise DomainError("Cette personne ne siège pas dans ce comité.", field="member")
        if not status:
            continue
        if status not in AttendanceStatus.values:
            raise DomainError("État de présence inconnu.", field=f"status_{member_id}")
        represented_by = (represented_by or "").strip()
        if status == AttendanceStatus.REPRESENTED and not represented_by:
            raise DomainError(
                "Indiquez qui représente le membre absent.", field=f"represented_by_{member_id}"
            )
        if status != AttendanceStatus.REPRESENTED:
            represented_by = ""
        Attendance.objects.update_or_create(
            meeting=meeting,
            member_id=member_id,
            defaults={"status": status, "represented_by": represented_by, "recorded_by": actor},
        )
        saved += 1
    audit_log(
        actor=actor, action="governance.attendance.recorded", obj=meeting, data={"rows": saved}
    )
    return saved
