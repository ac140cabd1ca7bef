"""Calendar invitations of meetings (iTIP REQUEST / CANCEL), through the one writer `core.ical`.

One stable UID (the meeting's stored UUID), SEQUENCE raised per update. The ORGANIZER is the
committee's secretary, so that "accept / decline" replies reach a person (the invitation email
also carries the secretary as Reply-To); without a secretary, the platform's address.
"""

from django.conf import settings
from django.utils import timezone

from maillage.core import ical
from maillage.governance.enums import MemberRole

METHOD_REQUEST = ical.REQUEST
METHOD_CANCEL = ical.CANCEL


def secretary_of(meeting):
    """The committee's current secretary (a CommitteeMember), or None."""
    from maillage.governance.models import CommitteeMember

    day = timezone.localtime(meeting.starts_at).date()
    return (
        CommitteeMember.objects.current(day)
        .filter(committee=meeting.committee, role=MemberRole.SECRETARY, user__is_active=True)
        .select_related("user")
        .order_by("started_on", "pk")
        .first()
    )


def organizer_of(meeting):
    """(name, address) that replies go to."""
    secretary = secretary_of(meeting)
    if secretary is not None and secretary.user.email:
        return f"{secretary.user} (secrétariat du {meeting.committee.name})", secretary.user.email
    return ical.default_organizer()


def meeting_calendar(meeting, *, method=METHOD_REQUEST, attendees=(), agenda=()):
    """The VCALENDAR bytes of `meeting`; `attendees` are CommitteeMember rows."""
    name, email = organizer_of(meeting)
    lines = [f"Réunion du {meeting.committee.name}."]
    if meeting.video_url:
        lines.append(f"Visioconférence : {meeting.video_url}")
    if agenda:
        lines.append("Ordre du jour :")
        lines.extend(f"{item.number}. {item.title}" for item in agenda)
    entry = ical.Entry(
        uid=meeting.calendar_uid,
        sequence=meeting.ics_sequence,
        summary=f"{meeting.committee.name} — {meeting.title}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        organizer_email=email,
        organizer_name=name,
        location=meeting.location or meeting.video_url,
        description="\n".join(lines),
        url=f"{settings.SITE_URL}{meeting.get_absolute_url()}",
        cancelled=method == METHOD_CANCEL or meeting.is_cancelled,
        attendees=[
            ical.Attendee(
                email=member.user.email,
                name=str(member.user),
                role="OPT-PARTICIPANT" if member.role == MemberRole.GUEST else "REQ-PARTICIPANT",
                rsvp=True,
                partstat="NEEDS-ACTION" if method == METHOD_REQUEST else "",
            )
            for member in attendees
        ],
    )
    return ical.calendar_bytes([entry], method=method)
