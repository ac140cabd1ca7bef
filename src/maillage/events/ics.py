"""Calendar entries of events and training sessions, through the one writer `core.ical`.

The feed, the download and every email carry the same UID (the event's stored UUID) and the
same SEQUENCE (`Event.ics_sequence`, raised on each significant change), so a calendar that
kept the emailed copy and one that subscribed to the feed both follow a move or a cancellation.
"""

from django.conf import settings

from maillage.core import ical
from maillage.events.enums import EventStatus

# Changes that move the entry in someone's calendar: they raise the SEQUENCE.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "venue", "address", "online_url")
# Changes that registrants are told of by email, with the updated invitation.
NOTIFIED_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url")


def organizer_of(event):
    """(name, address): the lead operator, at its first public contact address."""
    organisation = event.lead_organisation
    email = (
        organisation.sites.exclude(email="").order_by("pk").values_list("email", flat=True).first()
    )
    if not email:
        _name, email = ical.default_organizer()
    return organisation.name, email


def public_location(event):
    # The online link is for registrants only: never in the public feed.
    return ", ".join(p for p in (event.venue, event.address) if p) or (
        "En ligne" if event.online_url else ""
    )


def registrant_location(event):
    parts = [p for p in (event.venue, event.address) if p]
    if event.online_url:
        parts.append(event.online_url)
    return ", ".join(parts)


def public_entry(event):
    name, email = organizer_of(event)
    return ical.Entry(
        uid=event.calendar_uid,
        sequence=event.ics_sequence,
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        organizer_email=email,
        organizer_name=name,
        location=public_location(event),
        description=event.summary,
        url=settings.SITE_URL + event.get_absolute_url(),
        cancelled=event.status == EventStatus.CANCELLED,
    )


def feed_bytes(events, *, name):
    return ical.calendar_bytes([public_entry(e) for e in events], method=ical.PUBLISH, name=name)


def registrant_calendar(event, registration, *, manage_link, cancelled=False, sequence=None):
    """(method, text) of the registrant's invitation: REQUEST, or CANCEL of the same UID."""
    name, email = organizer_of(event)
    description = event.summary or event.title
    if event.online_url:
        description += f"\nLien de connexion : {event.online_url}"
    description += f"\nVoir ou annuler mon inscription : {manage_link}"
    who = f"{registration.first_name} {registration.last_name}".strip()
    entry = ical.Entry(
        uid=event.calendar_uid,
        sequence=event.ics_sequence if sequence is None else sequence,
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        organizer_email=email,
        organizer_name=name,
        location=registrant_location(event),
        description=description,
        url=manage_link,
        cancelled=cancelled,
        # The registrant already said yes by registering: no reply is asked for.
        attendees=[
            ical.Attendee(
                email=registration.email,
                name=who,
                partstat="DECLINED" if cancelled else "ACCEPTED",
            )
        ],
    )
    method = ical.CANCEL if cancelled else ical.REQUEST
    return method, ical.calendar_bytes([entry], method=method, name=event.title).decode()
