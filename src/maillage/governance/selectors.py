"""Reads of the governance area: committee content is visible to its members and coordinators.

Every read starts from `committees_visible_to`: a committee the person does not sit on (and the
meetings, decisions and actions under it) answers 404, exactly like one that does not exist.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.governance.enums import ACTION_OPEN_STATUSES, MeetingStatus, MemberRole
from maillage.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MinutesItem,
)


def is_coordinator(membership):
    return membership is not None and membership.role == Role.COORDINATOR


def committees_visible_to(user, membership):
    """Committees whose content `user`, acting through `membership`, may read."""
    if user is None or not user.is_authenticated or membership is None:
        return Committee.objects.none()
    committees = Committee.objects.select_related("convention")
    if is_coordinator(membership):
        return committees
    seats = CommitteeMember.objects.current().filter(user=user).values("committee_id")
    return committees.filter(pk__in=seats)


def committee_get(user, membership, slug):
    return get_object_or_404(committees_visible_to(user, membership), slug=slug)


@dataclass(frozen=True)
class CommitteeAccess:
    committee: Committee
    seat: CommitteeMember | None
    coordinator: bool

    @property
    def can_edit(self):
        """Schedule, build the agenda, write minutes, record decisions and actions."""
        return self.coordinator or (self.seat is not None and self.seat.is_editor)


def committee_access(user, membership, committee):
    seat = (
        CommitteeMember.objects.current()
        .filter(user=user, committee=committee)
        .order_by("role")
        .first()
        if user is not None and user.is_authenticated
        else None
    )
    return CommitteeAccess(committee=committee, seat=seat, coordinator=is_coordinator(membership))


ROLE_RANK = Case(
    *[When(role=role, then=Value(rank)) for rank, role in enumerate(MemberRole)],
    output_field=IntegerField(),
)


def members_of(committee, day=None):
    """Current members: chair, secretary, members, guests, then by organisation."""
    return (
        CommitteeMember.objects.current(day)
        .filter(committee=committee)
        .select_related("user", "organisation")
        .order_by(ROLE_RANK, "organisation__name", "user__last_name")
    )


def meetings_visible_to(user, membership):
    return Meeting.objects.filter(
        committee__in=committees_visible_to(user, membership)
    ).select_related("committee")


def meeting_get(user, membership, meeting_id):
    return get_object_or_404(meetings_visible_to(user, membership), pk=meeting_id)


def meetings_of(committee):
    return committee.meetings.select_related("committee")


def previous_meeting(meeting):
    """The last meeting of the same committee before this one (cancelled ones do not count)."""
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def next_meetings(meeting):
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, starts_at__gt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )


def agenda_of(meeting):
    """Top-level items with their sub-items, each carrying its display number ("2", "2.1")."""
    children = AgendaItem.objects.select_related(
        "action", "action__owner_organisation", "document_resource"
    ).order_by("position")
    items = list(
        meeting.agenda_items.filter(parent__isnull=True)
        .select_related("action", "minutes_meeting", "document_resource")
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("position")
    )
    for index, item in enumerate(items, start=1):
        item.number = str(index)
        item.sub_items = list(item.children.all())
        for sub_index, child in enumerate(item.sub_items, start=1):
            child.number = f"{index}.{sub_index}"
    return items


def agenda_duration(items):
    total = 0
    for item in items:
        total += item.duration_minutes or 0
        total += sum(child.duration_minutes or 0 for child in item.sub_items)
    return total


def attendance_of(meeting):
    """Every current member with their recorded attendance (None when not yet recorded)."""
    recorded = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    day = timezone.localtime(meeting.starts_at).date()
    rows = []
    members = list(members_of(meeting.committee, day))
    seen = {m.pk for m in members}
    # Someone recorded then replaced still shows: attendance is a record, not the current roster.
    extra = CommitteeMember.objects.filter(
        pk__in=[pk for pk in recorded if pk not in seen]
    ).select_related("user", "organisation")
    for member in [*members, *extra]:
        rows.append((member, recorded.get(member.pk)))
    return rows


def decisions_visible_to(user, membership):
    return Decision.objects.filter(
        committee__in=committees_visible_to(user, membership)
    ).select_related("committee", "meeting", "agenda_item")


def decision_get(user, membership, decision_id):
    return get_object_or_404(decisions_visible_to(user, membership), pk=decision_id)


def actions_visible_to(user, membership):
    return Action.objects.filter(
        committee__in=committees_visible_to(user, membership)
    ).select_related("committee", "owner_organisation", "owner_user", "decision")


def action_get(user, membership, action_id):
    return get_object_or_404(actions_visible_to(user, membership), pk=action_id)


def actions_filter(queryset, *, status=None, committee_slug=None, owner_slug=None, day=None):
    """Filter a visible queryset: status is an action state, `open` or `overdue`."""
    day = day or timezone.localdate()
    if status == "open":
        queryset = queryset.filter(status__in=ACTION_OPEN_STATUSES)
    elif status == "overdue":
        queryset = queryset.overdue(day)
    elif status:
        queryset = queryset.filter(status=status)
    if committee_slug:
        queryset = queryset.filter(committee__slug=committee_slug)
    if owner_slug:
        queryset = queryset.filter(owner_organisation__slug=owner_slug)
    return queryset.order_by("due_on", "id")


def overdue_by_owner(queryset, day=None):
    """Overdue actions grouped by owner organisation: [(organisation, [actions])]."""
    groups = {}
    for action in queryset.overdue(day).order_by("owner_organisation__name", "due_on"):
        groups.setdefault(action.owner_organisation, []).append(action)
    return list(groups.items())


def overdue_by_committee(queryset, day=None):
    groups = {}
    for action in queryset.overdue(day).order_by("committee__kind", "due_on"):
        groups.setdefault(action.committee, []).append(action)
    return list(groups.items())


def agenda_flat(meeting):
    """Every agenda item in reading order (1, 1.1, 1.2, 2…), each with its display number."""
    flat = []
    for item in agenda_of(meeting):
        flat.append(item)
        flat.extend(item.sub_items)
    return flat


def minutes_by_item(meeting):
    """The minutes along the agenda: each item with its text, decisions and actions."""
    minutes = getattr(meeting, "minutes", None)
    texts = (
        dict(MinutesItem.objects.filter(minutes=minutes).values_list("agenda_item_id", "text"))
        if minutes is not None and minutes.pk
        else {}
    )
    decisions = {}
    for decision in meeting.decisions.order_by("year", "sequence"):
        decisions.setdefault(decision.agenda_item_id, []).append(decision)
    actions = {}
    for action in meeting.actions.select_related("owner_organisation").order_by("due_on", "id"):
        actions.setdefault(action.agenda_item_id, []).append(action)
    rows = []
    for item in agenda_flat(meeting):
        item.minutes_text = texts.get(item.pk, "")
        item.minutes_decisions = decisions.get(item.pk, [])
        item.minutes_actions = actions.get(item.pk, [])
        rows.append(item)
    return rows


def minutes_snapshot(meeting):
    """What a revision keeps of each item: number, title, text, decisions and actions as text."""
    return [
        {
            "agenda_item": item.pk,
            "number": item.number,
            "title": item.title,
            "text": item.minutes_text,
            "decisions": [
                f"{d.reference} — {d.title} ({d.get_status_display().lower()})"
                for d in item.minutes_decisions
            ],
            "actions": [
                f"{a.title} — {a.owner_organisation.name}, échéance {a.due_on:%d/%m/%Y}"
                for a in item.minutes_actions
            ],
        }
        for item in minutes_by_item(meeting)
    ]
