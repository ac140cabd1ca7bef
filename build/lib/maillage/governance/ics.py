"""Calendar invitations of meetings (RFC 5545 / iTIP): one stable UID, SEQUENCE raised per update.

Kept independent of the events area: a committee invitation is a REQUEST to named attendees,
and a cancellation is a CANCEL of the same UID with a higher SEQUENCE.
"""

from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
PRODID = "-//Maillage//Gouvernance//FR"


def _organizer():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'ne-pas-repondre@maillage.local'}")
    organizer.params["cn"] = vText(name or "Maillage")
    return organizer


def meeting_calendar(meeting, *, method=METHOD_REQUEST, attendees=(), agenda=()):
    """The VCALENDAR bytes of `meeting`; `attendees` are CommitteeMember rows."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting.calendar_uid)
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.committee.name} — {meeting.title}")
    location = meeting.location or meeting.video_url
    if location:
        event.add("location", location)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    lines = [f"Réunion du {meeting.committee.name}."]
    if meeting.video_url:
        lines.append(f"Visioconférence : {meeting.video_url}")
    if agenda:
        lines.append("Ordre du jour :")
        lines.extend(f"{item.number}. {item.title}" for item in agenda)
    event.add("description", "\n".join(lines))
    cancelled = method == METHOD_CANCEL or meeting.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _organizer()
    for member in attendees:
        attendee = vCalAddress(f"mailto:{member.user.email}")
        attendee.params["cn"] = vText(str(member.user))
        attendee.params["role"] = vText(
            "OPT-PARTICIPANT" if member.role == "guest" else "REQ-PARTICIPANT"
        )
        if method == METHOD_REQUEST:
            attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
