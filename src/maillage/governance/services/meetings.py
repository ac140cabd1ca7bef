"""Meetings: scheduling with calendar invitations, updates, cancellation, agenda and attendance."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from maillage.core import ical
from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.core.email_html import html_from_text
from maillage.core.errors import DomainError
from maillage.core.french import datetime_fr
from maillage.governance import ics
from maillage.governance.enums import (
    MEETING_TRANSITIONS,
    AgendaItemKind,
    AttendanceStatus,
    DecisionStatus,
    MeetingStatus,
)
from maillage.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    CommitteeMember,
    Decision,
    Meeting,
    MeetingTransition,
    Minutes,
)
from maillage.governance.selectors import agenda_of, members_of, previous_meeting
from maillage.governance.services.common import absolute, require_editor

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


def _transition(meeting, to_status, actor, note=""):
    if to_status not in MEETING_TRANSITIONS[MeetingStatus(meeting.status)]:
        raise DomainError(
            f"Une réunion « {meeting.get_status_display().lower()} » ne peut pas passer à "
            f"« {MeetingStatus(to_status).label.lower()} ».",
            code="invalid_transition",
        )
    MeetingTransition.objects.create(
        meeting=meeting, from_status=meeting.status, to_status=to_status, actor=actor, note=note
    )
    meeting.status = to_status


@transaction.atomic
def meeting_cancel(*, actor, membership, meeting, reason=""):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, membership, meeting.committee)
    _transition(meeting, MeetingStatus.CANCELLED, actor, note=reason[:300])
    meeting.ics_sequence += 1
    meeting.save(update_fields=["status", "ics_sequence", "updated_at"])
    audit_log(
        actor=actor,
        action="governance.meeting.cancelled",
        obj=meeting,
        data={"reason": reason, "sequence": meeting.ics_sequence},
    )
    _send_calendar(meeting, method=ics.METHOD_CANCEL, kind="cancel")
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor, membership, meeting):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, membership, meeting.committee)
    if meeting.starts_at > timezone.now():
        raise DomainError("Une réunion ne peut être déclarée tenue avant son début.")
    _transition(meeting, MeetingStatus.HELD, actor)
    meeting.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="governance.meeting.held", obj=meeting)
    return meeting


# --- Agenda -------------------------------------------------------------------------------


def _next_position(meeting, parent):
    last = AgendaItem.objects.filter(meeting=meeting, parent=parent).aggregate(m=Max("position"))
    return (last["m"] or 0) + 1


def agenda_prefill(meeting):
    """Start the agenda with the previous minutes, the open actions and the carried-over items."""
    previous = previous_meeting(meeting)
    position = 0
    created = 0
    if previous is not None:
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItemKind.MINUTES_APPROVAL,
            title=(
                "Approbation du compte rendu de la réunion du "
                f"{timezone.localtime(previous.starts_at):%d/%m/%Y}"
            ),
            minutes_meeting=previous,
            duration_minutes=5,
        )
        created += 1
    actions = list(
        Action.objects.open()
        .filter(committee=meeting.committee)
        .select_related("owner_organisation")
        .order_by("due_on", "id")
    )
    if actions:
        position += 1
        review = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItemKind.ACTIONS_REVIEW,
            title="Suivi des actions en cours et en retard",
            duration_minutes=min(5 * len(actions), 60),
        )
        created += 1
        # "En retard" as of the day the agenda is drawn up, not a forecast for the meeting day.
        day = timezone.localdate()
        sub_items = [
            AgendaItem(
                meeting=meeting,
                parent=review,
                position=index,
                kind=AgendaItemKind.ACTION,
                title=(
                    f"{action.title} ({action.owner_organisation.name}, échéance "
                    f"{action.due_on:%d/%m/%Y}, {action.progress} %)"
                    + (" — EN RETARD" if action.due_on < day else "")
                )[:300],
                action=action,
            )
            for index, action in enumerate(actions, start=1)
        ]
        AgendaItem.objects.bulk_create(sub_items, batch_size=500)
        created += len(sub_items)
    if previous is not None:
        for item in previous.agenda_items.filter(carry_over=True).order_by("parent_id", "position"):
            position += 1
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=AgendaItemKind.CARRIED_OVER,
                title=item.title,
                presenter=item.presenter,
                duration_minutes=item.duration_minutes,
                document_title=item.document_title,
                document_url=item.document_url,
                source_item=item,
            )
            created += 1
    deferred = Decision.objects.filter(
        committee=meeting.committee, status=DecisionStatus.DEFERRED
    ).order_by("year", "sequence")
    for decision in deferred:
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItemKind.CARRIED_OVER,
            title=f"Décision reportée {decision.reference} : {decision.title}",
            source_item=decision.agenda_item,
        )
        created += 1
    return created


def _clean_item(fields):
    title = (fields.get("title") or "").strip()
    if not title:
        raise DomainError("Donnez un intitulé au point.", field="title")
    duration = fields.get("duration_minutes")
    if duration is not None and not 0 < duration <= 480:
        raise DomainError("La durée d'un point va de 1 à 480 minutes.", field="duration_minutes")
    return {
        "title": title,
        "presenter": (fields.get("presenter") or "").strip(),
        "duration_minutes": duration,
        "notes": (fields.get("notes") or "").strip(),
        "document_title": (fields.get("document_title") or "").strip(),
        "document_url": (fields.get("document_url") or "").strip(),
        "carry_over": bool(fields.get("carry_over")),
    }


def _editable_meeting(actor, membership, meeting):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, membership, meeting.committee)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("Cette réunion est annulée : son ordre du jour est figé.")
    return meeting


@transaction.atomic
def agenda_item_add(*, actor, membership, meeting, parent=None, **fields):
    meeting = _editable_meeting(actor, membership, meeting)
    if parent is not None:
        if parent.meeting_id != meeting.pk:
            raise DomainError("Ce point parent n'appartient pas à la réunion.", field="parent")
        if parent.parent_id is not None:
            raise DomainError("Un sous-point ne peut pas avoir de sous-points.", field="parent")
    item = AgendaItem.objects.create(
        meeting=meeting,
        parent=parent,
        position=_next_position(meeting, parent),
        **_clean_item(fields),
    )
    audit_log(actor=actor, action="governance.agenda.item_added", obj=item)
    return item


@transaction.atomic
def agenda_item_edit(*, actor, membership, item, **fields):
    _editable_meeting(actor, membership, item.meeting)
    for name, value in _clean_item(fields).items():
        setattr(item, name, value)
    item.save()
    audit_log(actor=actor, action="governance.agenda.item_edited", obj=item)
    return item


@transaction.atomic
def agenda_item_delete(*, actor, membership, item):
    _editable_meeting(actor, membership, item.meeting)
    audit_log(actor=actor, action="governance.agenda.item_deleted", obj=item)
    siblings = AgendaItem.objects.filter(meeting=item.meeting, parent=item.parent).exclude(
        pk=item.pk
    )
    item.delete()
    for position, sibling in enumerate(siblings.order_by("position"), start=1):
        if sibling.position != position:
            AgendaItem.objects.filter(pk=sibling.pk).update(position=position)


@transaction.atomic
def agenda_item_move(*, actor, membership, item, direction):
    """Swap an item with its neighbour ("up" or "down") among its siblings."""
    _editable_meeting(actor, membership, item.meeting)
    siblings = AgendaItem.objects.filter(meeting=item.meeting, parent=item.parent)
    if direction == "up":
        neighbour = siblings.filter(position__lt=item.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=item.position).order_by("position").first()
    if neighbour is None:
        return item
    item.position, neighbour.position = neighbour.position, item.position
    AgendaItem.objects.filter(pk=item.pk).update(position=item.position)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=neighbour.position)
    return item


# --- Attendance ---------------------------------------------------------------------------


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
