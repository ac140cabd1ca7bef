"""Meetings: scheduling with calendar invitations, updates, cancellation, marking held."""

from datetime import timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from maillage.core import ical
from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.core.email_html import html_from_text
from maillage.core.errors import DomainError
from maillage.core.french import datetime_fr
from maillage.governance import ics
from maillage.governance.enums import MeetingStatus
from maillage.governance.models import Meeting, MeetingTransition, Minutes
from maillage.governance.selectors import agenda_of, members_of
from maillage.governance.services.agenda import agenda_prefill
from maillage.governance.services.common import absolute, require_editor
from maillage.governance.workflow import EDITOR, MEETING_WORKFLOW

CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "video_url")


def _validate_times(starts_at, ends_at):
    if starts_at is None or ends_at is None:
        raise DomainError("Indiquez le début et la fin de la réunion.", field="starts_at")
    if ends_at <= starts_at:
        raise DomainError("La fin de la réunion doit suivre son début.", field="ends_at")
    if ends_at - starts_at > timedelta(hours=12):
        raise DomainError("Une réunion dure au plus 12 heures.", field="ends_at")


def _send_calendar(meeting, *, method, kind):
    """One email per current member, each with the .ics of this state of the meeting."""
    day = timezone.localtime(meeting.starts_at).date()
    members = list(members_of(meeting.committee, day))
    agenda = agenda_of(meeting)
    content = ics.meeting_calendar(
        meeting, method=method, attendees=members, agenda=agenda
    ).decode()
    subjects = {
        "invitation": f"Invitation : {meeting.committee.name} du {_when(meeting)}",
        "update": f"Modification : {meeting.committee.name} du {_when(meeting)}",
        "cancel": f"Annulation : {meeting.committee.name} du {_when(meeting)}",
    }
    filename = "annulation.ics" if method == ics.METHOD_CANCEL else "invitation.ics"
    secretary = ics.secretary_of(meeting)
    reply_to = [secretary.user.email] if secretary is not None and secretary.user.email else []
    for member in members:
        if not member.user.is_active:
            continue
        body = render_to_string(
            "governance/email/meeting.txt",
            {
                "kind": kind,
                "meeting": meeting,
                "member": member,
                "agenda": agenda,
                "url": absolute(meeting.get_absolute_url()),
            },
        )
        email_queue(
            subject=subjects[kind],
            body=body,
            html=html_from_text(body, title=subjects[kind]),
            to=[member.user.email],
            # Replies (and "accept / decline" from mail clients) reach the secretary.
            reply_to=reply_to,
            # The method parameter lets mail clients offer "accept / decline" (iMIP).
            attachments=[ical.attachment(filename, content, method=method)],
            dedup_key=f"governance:meeting:{meeting.pk}:sequence:{meeting.ics_sequence}:"
            f"{kind}:member:{member.pk}",
        )
    return len(members)


def _when(meeting):
    return datetime_fr(meeting.starts_at)


@transaction.atomic
def meeting_schedule(
    *, actor, membership, committee, title, starts_at, ends_at, location="", video_url=""
):
    """Schedule a meeting, pre-fill its agenda from the previous one, invite the members."""
    require_editor(actor, membership, committee)
    title = (title or "").strip()
    if not title:
        raise DomainError("Donnez un intitulé à la réunion.", field="title")
    _validate_times(starts_at, ends_at)
    if not (location or "").strip() and not (video_url or "").strip():
        raise DomainError("Indiquez un lieu ou un lien de visioconférence.", field="location")
    meeting = Meeting.objects.create(
        committee=committee,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=(location or "").strip(),
        video_url=(video_url or "").strip(),
        created_by=actor,
    )
    Minutes.objects.create(meeting=meeting)
    MeetingTransition.objects.create(
        meeting=meeting, from_status="", to_status=MeetingStatus.SCHEDULED, actor=actor
    )
    prefilled = agenda_prefill(meeting)
    audit_log(
        actor=actor,
        action="governance.meeting.scheduled",
        obj=meeting,
        data={"committee": committee.slug, "prefilled_items": prefilled},
    )
    recipients = _send_calendar(meeting, method=ics.METHOD_REQUEST, kind="invitation")
    return meeting, recipients


@transaction.atomic
def meeting_update(*, actor, membership, meeting, **changes):
    """Change date, place or title; a calendar change raises the SEQUENCE and re-invites."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, membership, meeting.committee)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("Cette réunion est annulée : elle ne peut plus être modifiée.")
    changed = {}
    for name in CALENDAR_FIELDS:
        if name in changes and changes[name] is not None:
            value = changes[name].strip() if isinstance(changes[name], str) else changes[name]
            if getattr(meeting, name) != value:
                changed[name] = value
    if not changed:
        return meeting, False
    for name, value in changed.items():
        setattr(meeting, name, value)
    if not meeting.title:
        raise DomainError("Donnez un intitulé à la réunion.", field="title")
    _validate_times(meeting.starts_at, meeting.ends_at)
    if not meeting.location and not meeting.video_url:
        raise DomainError("Indiquez un lieu ou un lien de visioconférence.", field="location")
    meeting.ics_sequence += 1
    meeting.save()
    audit_log(
        actor=actor,
        action="governance.meeting.updated",
        obj=meeting,
        data={"fields": sorted(changed), "sequence": meeting.ics_sequence},
    )
    _send_calendar(meeting, method=ics.METHOD_REQUEST, kind="update")
    return meeting, True


@transaction.atomic
def meeting_cancel(*, actor, membership, meeting, reason=""):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, membership, meeting.committee)
    MEETING_WORKFLOW.check(meeting, "cancel", EDITOR)
    meeting.ics_sequence += 1
    MEETING_WORKFLOW.apply(
        meeting,
        "cancel",
        actor=actor,
        who=EDITOR,
        fields=["ics_sequence", "updated_at"],
        log={"note": reason[:300]},
        audit={"reason": reason, "sequence": meeting.ics_sequence},
    )
    _send_calendar(meeting, method=ics.METHOD_CANCEL, kind="cancel")
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor, membership, meeting):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, membership, meeting.committee)
    MEETING_WORKFLOW.check(meeting, "held", EDITOR)
    if meeting.starts_at > timezone.now():
        raise DomainError(
            f"Cette réunion n'a pas encore eu lieu : elle pourra être marquée comme tenue à "
            f"partir de son début, le {_when(meeting)}.",
            code="not_started",
        )
    MEETING_WORKFLOW.apply(meeting, "held", actor=actor, who=EDITOR, fields=["updated_at"])
    return meeting
