"""Calendar files (RFC 5545) for emails and feeds; reusable by any area (governance meetings)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

PRODID = "-//Maillage//Partenariat CEP//FR"


@dataclass
class IcsItem:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    # Bump it on every change so calendar clients replace their copy.
    sequence: int = 0


def calendar_bytes(items, *, name="Maillage", method=None):
    """One VCALENDAR holding `items`; `method` is PUBLISH/REQUEST/CANCEL for email attachments."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    if method:
        calendar.add("method", method)
    stamp = timezone.now()
    for item in items:
        vevent = IcsEvent()
        vevent.add("uid", item.uid)
        vevent.add("dtstamp", stamp)
        # UTC times: every client converts them, no VTIMEZONE block to keep in sync.
        vevent.add("dtstart", item.starts_at.astimezone(UTC))
        vevent.add("dtend", item.ends_at.astimezone(UTC))
        vevent.add("summary", item.summary)
        vevent.add("sequence", item.sequence)
        vevent.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.location:
            vevent.add("location", item.location)
        if item.description:
            vevent.add("description", item.description)
        if item.url:
            vevent.add("url", item.url)
        calendar.add_component(vevent)
    return calendar.to_ical()
