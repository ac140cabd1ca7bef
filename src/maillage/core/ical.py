"""The one iCalendar writer (RFC 5545, iTIP RFC 5546, iMIP RFC 6047) of every area.

Events, training sessions (events of kind training) and committee meetings all go through
`calendar_bytes`. What a calendar client needs to keep its copy right:

- a globally unique UID, built from a UUID stored with the object (`uid_of`): two instances or
  a rebuilt database never reuse one;
- the SEQUENCE stored with the object and raised on each significant change (time, place,
  link, cancellation), the same number in the feed, the download and the emails;
- an ORGANIZER on every component (the organising operator, or the committee's secretary);
- METHOD on the calendar, and the same `method=` parameter on the email attachment
  (`attachment`), so mail clients treat it as an invitation, an update or a cancellation;
- times in UTC everywhere (no VTIMEZONE to keep in sync), which every client converts.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

PRODID = "-//Maillage//Partenariat CEP//FR"

PUBLISH = "PUBLISH"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
METHODS = (PUBLISH, REQUEST, CANCEL)


def uid_of(uuid_value):
    """The UID of an object from the UUID stored with it."""
    return f"{uuid_value}@maillage"


def default_organizer():
    """(name, address) of the platform, for an entry whose organiser has no address."""
    from email.utils import parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "Maillage", address or "ne-pas-repondre@maillage.local"


@dataclass
class Attendee:
    email: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"
    rsvp: bool = False
    partstat: str = ""


@dataclass
class Entry:
    """One VEVENT: what the object says at its current SEQUENCE."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    organizer_email: str
    organizer_name: str = ""
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    attendees: list = field(default_factory=list)


def _address(email, name):
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    return address


def _vevent(entry, *, method, stamp):
    vevent = VEvent()
    vevent.add("uid", entry.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", entry.starts_at.astimezone(UTC))
    vevent.add("dtend", entry.ends_at.astimezone(UTC))
    vevent.add("summary", entry.summary)
    vevent.add("sequence", entry.sequence)
    cancelled = entry.cancelled or method == CANCEL
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if entry.location:
        vevent.add("location", entry.location)
    if entry.description:
        vevent.add("description", entry.description)
    if entry.url:
        vevent.add("url", entry.url)
    vevent.add("organizer", _address(entry.organizer_email, entry.organizer_name), encode=0)
    for person in entry.attendees:
        attendee = _address(person.email, person.name)
        attendee.params["role"] = vText(person.role)
        if person.partstat:
            attendee.params["partstat"] = vText(person.partstat)
        if method == REQUEST:
            attendee.params["rsvp"] = vText("TRUE" if person.rsvp else "FALSE")
        vevent.add("attendee", attendee, encode=0)
    return vevent


def calendar_bytes(entries, *, method=PUBLISH, name=None):
    """One VCALENDAR holding `entries`, with its METHOD (PUBLISH for feeds and downloads)."""
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        calendar.add_component(_vevent(entry, method=method, stamp=stamp))
    return calendar.to_ical()


def mimetype(method):
    """The Content-Type of an iMIP attachment (RFC 6047 §2.4: the same method as inside).

    Django adds `charset="utf-8"` itself when it builds the MIME part.
    """
    return f"text/calendar; method={method}"


def attachment(filename, content, *, method):
    """An email attachment `[filename, text, mimetype]` as `email_queue` takes it."""
    if isinstance(content, bytes):
        content = content.decode()
    return [filename, content, mimetype(method)]


def http_response(content, *, filename, disposition="attachment"):
    from django.http import HttpResponse

    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
