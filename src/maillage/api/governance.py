"""API routes of the governance area: committees, meetings, invitations, actions (members only).

A committee the token's user does not sit on (unless they coordinate) answers 404, like one that
does not exist: the same selectors as the pages.
"""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from maillage.api.auth import token_auth
from maillage.api.errors import responses
from maillage.api.me import OrganisationRef
from maillage.api.pagination import Mapped, paginated
from maillage.api.types import Id, choice
from maillage.governance import ics, selectors
from maillage.governance.enums import (
    ActionStatus,
    AgendaItemKind,
    AttendanceStatus,
    CommitteeKind,
    DecisionStatus,
    MeetingStatus,
    MemberRole,
    MinutesStatus,
)

router = Router(tags=["gouvernance"], auth=token_auth)


class MemberOut(Schema):
    name: str
    email: str
    organisation: OrganisationRef
    role: choice(MemberRole)
    started_on: date
    ended_on: date | None


class CommitteeOut(Schema):
    slug: str
    name: str
    code: str
    kind: choice(CommitteeKind)
    mission: str
    convention: str
    your_role: choice(MemberRole) | None = Field(
        description="Votre rôle au comité ; null pour la coordination."
    )
    members: list[MemberOut]


class MeetingSummaryOut(Schema):
    id: int
    committee: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    video_url: str
    status: choice(MeetingStatus)
    sequence: int
    url: str


class AgendaItemOut(Schema):
    number: str
    title: str
    kind: choice(AgendaItemKind)
    presenter: str
    duration_minutes: int | None
    document_title: str
    document_url: str
    carry_over: bool
    action_id: int | None
    sub_items: list["AgendaItemOut"] = []


class AttendanceOut(Schema):
    member: str
    organisation: str
    role: choice(MemberRole)
    status: choice(AttendanceStatus) | None
    represented_by: str


class GovernanceDecisionOut(Schema):
    id: int
    reference: str
    title: str
    status: choice(DecisionStatus)
    decided_on: date
    agenda_item: str | None


class MinutesOut(Schema):
    status: choice(MinutesStatus)
    revision: int
    approved_at: datetime | None
    text: str


class MeetingOut(MeetingSummaryOut):
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    decisions: list[GovernanceDecisionOut]
    minutes: MinutesOut | None


class ActionOut(Schema):
    id: int
    committee: str
    title: str
    owner_organisation: OrganisationRef
    owner_person: str | None
    due_on: date
    status: choice(ActionStatus)
    progress: int
    overdue: bool
    decision: str | None
    url: str


def _absolute(request, url):
    return request.build_absolute_uri(url)


def _meeting_summary(request, meeting):
    return {
        "id": meeting.pk,
        "committee": meeting.committee.slug,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "video_url": meeting.video_url,
        "status": meeting.status,
        "sequence": meeting.ics_sequence,
        "url": _absolute(request, meeting.get_absolute_url()),
    }


def _item(item, children=()):
    return {
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "presenter": item.presenter,
        "duration_minutes": item.duration_minutes,
        "document_title": item.document_name,
        # A library resource is given by its page's full address, like a former link.
        "document_url": (
            f"{settings.SITE_URL}{item.document_link}"
            if item.document_link.startswith("/")
            else item.document_link
        ),
        "carry_over": item.carry_over,
        "action_id": item.action_id,
        "sub_items": [_item(child) for child in children],
    }


@router.get("/committees", response=responses(list[CommitteeOut]))
@paginated
def committees_list(request):
    """The committees the token's user sits on (every committee for a coordinator)."""
    seats = {
        seat.committee_id: seat.role
        for seat in request.user.committee_seats.current().order_by("role")
    }
    return Mapped(
        selectors.committees_visible_to(request.user, request.membership),
        lambda committee: _committee_out(committee, seats),
    )


def _committee_out(committee, seats):
    return {
        "slug": committee.slug,
        "name": committee.name,
        "code": committee.code,
        "kind": committee.kind,
        "mission": committee.mission,
        "convention": committee.convention.slug,
        "your_role": seats.get(committee.pk),
        "members": [
            {
                "name": str(m.user),
                "email": m.user.email,
                "organisation": {"slug": m.organisation.slug, "name": m.organisation.name},
                "role": m.role,
                "started_on": m.started_on,
                "ended_on": m.ended_on,
            }
            for m in selectors.members_of(committee)
        ],
    }


@router.get(
    "/committees/{slug}/meetings",
    response=responses(list[MeetingSummaryOut], statuses=[404]),
)
@paginated
def committee_meetings(request, slug: str):
    committee = selectors.committee_get(request.user, request.membership, slug)
    return Mapped(
        committee.meetings.select_related("committee").order_by("-starts_at", "-pk"),
        lambda meeting: _meeting_summary(request, meeting),
    )


@router.get("/meetings/{meeting_id}", response=responses(MeetingOut, statuses=[404]))
def meeting_detail(request, meeting_id: Id):
    """A meeting with its numbered agenda, attendance, decisions and minutes."""
    meeting = selectors.meeting_get(request.user, request.membership, meeting_id)
    agenda = selectors.agenda_of(meeting)
    minutes = getattr(meeting, "minutes", None)
    return {
        **_meeting_summary(request, meeting),
        "agenda": [_item(item, item.sub_items) for item in agenda],
        "attendance": [
            {
                "member": str(member.user),
                "organisation": member.organisation.name,
                "role": member.role,
                "status": record.status if record else None,
                "represented_by": record.represented_by if record else "",
            }
            for member, record in selectors.attendance_of(meeting)
        ],
        "decisions": [
            {
                "id": d.pk,
                "reference": d.reference,
                "title": d.title,
                "status": d.status,
                "decided_on": d.decided_on,
                "agenda_item": d.agenda_item.title if d.agenda_item else None,
            }
            for d in meeting.decisions.select_related("agenda_item").order_by("year", "sequence")
        ],
        "minutes": (
            {
                "status": minutes.status,
                "revision": minutes.revision,
                "approved_at": minutes.approved_at,
                "text": minutes.text,
            }
            if minutes is not None
            else None
        ),
    }


@router.get(
    "/meetings/{meeting_id}/invitation.ics",
    response=responses({}, statuses=[404]),
    openapi_extra={
        "responses": {
            "200": {
                "description": "Invitation iCalendar (METHOD:REQUEST ou CANCEL)",
                "content": {"text/calendar": {}},
            }
        }
    },
)
def meeting_invitation(request, meeting_id: Id):
    """The meeting's calendar entry: stable UID, current SEQUENCE, CANCEL once cancelled."""
    meeting = selectors.meeting_get(request.user, request.membership, meeting_id)
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


class ActionFilters(Schema):
    status: Literal["open", "overdue", "in_progress", "done", "dropped", "all"] = "open"
    committee: str | None = Field(None, max_length=100, description="Identifiant du comité.")
    owner: str | None = Field(
        None, max_length=100, description="Identifiant de l'organisation responsable."
    )


@router.get("/actions", response=responses(list[ActionOut], statuses=[404]))
@paginated
def actions_list(request, filters: Query[ActionFilters]):
    """Actions of the committees you sit on: `open` (open or in progress), `overdue`, or a state."""
    visible = selectors.actions_visible_to(request.user, request.membership)
    if filters.committee:
        selectors.committee_get(request.user, request.membership, filters.committee)
    actions = selectors.actions_filter(
        visible,
        status=None if filters.status == "all" else filters.status,
        committee_slug=filters.committee,
        owner_slug=filters.owner,
    )
    today = timezone.localdate()
    return Mapped(actions, lambda a: _action_out(request, a, today))


def _action_out(request, a, today):
    return {
        "id": a.pk,
        "committee": a.committee.slug,
        "title": a.title,
        "owner_organisation": {
            "slug": a.owner_organisation.slug,
            "name": a.owner_organisation.name,
        },
        "owner_person": str(a.owner_user) if a.owner_user else None,
        "due_on": a.due_on,
        "status": a.status,
        "progress": a.progress,
        "overdue": a.is_overdue(today),
        "decision": a.decision.reference if a.decision else None,
        "url": _absolute(request, a.get_absolute_url()),
    }
