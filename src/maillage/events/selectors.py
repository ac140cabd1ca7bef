"""Reads of the events area: the public calendar, and organisers' scoped views."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.selectors import active_memberships_of
from maillage.core.scoping import scopes_disabled
from maillage.events.enums import EXPECTED, Audience, EventKind, EventStatus, RegistrationStatus
from maillage.events.models import Event, EventOrganiser, Registration
from maillage.events.seats import seats_for_many

PUBLIC_STATUSES = (
    EventStatus.PUBLISHED,
    EventStatus.REGISTRATION_CLOSED,
    EventStatus.HELD,
    EventStatus.CANCELLED,
)


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _with_organisers(queryset):
    return queryset.select_related("department", "lead_organisation").prefetch_related(
        Prefetch("organisers", queryset=EventOrganiser.objects.select_related("organisation"))
    )


def events_public(*, date_from=None, date_to=None, department=None, kind=None, organisation=None):
    """Public events (published and after), filtered; ordered by start."""
    events = Event.objects.filter(audience=Audience.PUBLIC, status__in=PUBLIC_STATUSES)
    if date_from:
        events = events.filter(ends_at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(starts_at__lt=_day_start(date_to + timedelta(days=1)))
    if department:
        events = events.filter(department_id=department)
    if kind:
        events = events.filter(kind=kind)
    if organisation:
        events = events.filter(organisers__organisation__slug=organisation).distinct()
    return _with_organisers(events).order_by("starts_at", "pk")


def with_seats(events):
    """The events (a list), each with `.seats`: its ledger (`events.seats`), in two queries."""
    events = list(events)
    ledgers = seats_for_many(events)
    for event in events:
        event.seats = ledgers[event.pk]
    return events


def _is_member(viewer):
    return bool(
        viewer is not None and viewer.is_authenticated and active_memberships_of(viewer).exists()
    )


def _public_to(viewer):
    events = Event.objects.filter(status__in=PUBLIC_STATUSES)
    if not _is_member(viewer):
        events = events.filter(audience=Audience.PUBLIC)
    return events


def event_public_get(pk, *, viewer=None):
    """A published event as `viewer` may see it: a members-only event does not exist (404,
    like a missing one) unless the viewer is a signed-in member. The page, the ICS and the API
    all fetch through here, so that no channel shows more than another."""
    return get_object_or_404(_with_organisers(_public_to(viewer)), pk=pk)


def event_registrable_get(pk, *, viewer=None):
    """The same event as `event_public_get` (same 404s), without its organisers, department
    and lead operator: what a registration needs before the service locks and re-reads the
    row. One narrow query instead of two wide ones, on the busiest path of an opening."""
    return get_object_or_404(_public_to(viewer).only("pk", "audience", "questions"), pk=pk)


def month_grid(year, month, events):
    """Weeks of (day, [events]) for a month calendar; days outside the month are None."""
    by_day = {}
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        last = timezone.localtime(event.ends_at).date()
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([(d, by_day.get(d, [])) if d.month == month else (None, []) for d in week])
    return weeks


def month_bounds(year, month):
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    return first, last


def events_managed_by(membership):
    """Events the current organisation organises (every event for a coordinator)."""
    if membership is None:
        return Event.objects.none()
    events = Event.objects.all()
    if membership.role != Role.COORDINATOR:
        events = events.filter(
            Q(lead_organisation=membership.organisation)
            | Q(organisers__organisation=membership.organisation)
        ).distinct()
    counts = {
        f"n_{status}": Count("registrations", filter=Q(registrations__status=status), distinct=True)
        for status in RegistrationStatus.values
    }
    return _with_organisers(events.annotate(**counts)).order_by("-starts_at", "-pk")


def event_managed_get(membership, pk):
    """404 for an event the current organisation does not organise (same as missing)."""
    return get_object_or_404(events_managed_by(membership), pk=pk)


def registrations_of(event):
    return event.registrations.select_related("sent_by_organisation").order_by(
        "last_name", "first_name", "pk"
    )


def checkin_list(event, *, search=""):
    """The people expected at the event, by name; `search` keeps those whose first or last
    name (or e-mail) contains each word typed."""
    people = registrations_of(event).filter(status__in=EXPECTED)
    for word in (search or "").split()[:5]:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return people


def registrations_export(event):
    """Rows of the registrants' export (header first): person, status, sender, dates and one
    column per custom question. Formula neutralisation is the export writer's."""
    from maillage.core.exports import DATETIME, TEXT, Col

    questions = list(event.questions or [])
    yield [
        Col("Nom", TEXT),
        Col("Prénom", TEXT),
        Col("E-mail", TEXT),
        Col("Téléphone", TEXT),
        Col("État", TEXT),
        Col("Envoyé par", TEXT),
        Col("Inscription", DATETIME),
        Col("Présence pointée", DATETIME),
        *[Col(q["label"], TEXT) for q in questions],
    ]
    for r in registrations_of(event).iterator(chunk_size=500):
        yield [
            r.last_name,
            r.first_name,
            r.email,
            r.phone,
            r.get_status_display(),
            r.sent_by_organisation.name if r.sent_by_organisation else "",
            r.created_at,
            r.checked_in_at,
            *[(r.answers or {}).get(q["key"], "") for q in questions],
        ]


def waiting_list(event):
    return event.registrations.filter(
        status__in=[RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED]
    ).order_by("waitlisted_at", "pk")


def status_counts(event):
    counts = dict(event.registrations.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in RegistrationStatus.values}


@scopes_disabled()
def attended_by_sender(event_ids):
    """{(event_id, organisation_id or None): people present} — each attendee counted once,
    for the operator that sent them (None: came on their own, or sent by a non-organiser).
    The read model of attendance per operator, for this page and for the indicators."""
    rows = (
        Registration.objects.filter(event_id__in=event_ids, status=RegistrationStatus.ATTENDED)
        .values_list("event_id", "sent_by_organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(event_id, org): n for event_id, org, n in rows}


def attendance_credits(event):
    """Per co-organiser: its contribution and the people present whom it sent (each attendee
    is credited once, to the operator that sent them), plus the row of those who came on
    their own (`organiser` None). The credited figures add up to the attendance."""
    sent = attended_by_sender([event.pk])
    organisers = list(event.organisers.select_related("organisation"))
    organiser_ids = {o.organisation_id for o in organisers}
    rows = [
        {
            "organiser": organiser,
            "attended_credited": sent.get((event.pk, organiser.organisation_id), 0),
            "attended_sent": sent.get((event.pk, organiser.organisation_id), 0),
        }
        for organiser in organisers
    ]
    on_their_own = sum(n for (_, org), n in sent.items() if org not in organiser_ids)
    rows.append({"organiser": None, "attended_credited": on_their_own, "attended_sent": 0})
    return rows


def events_for_counsellor(membership):
    """Upcoming published events a counsellor may register a person to. Training sessions are
    left out: the training area enrols members through its own rules and pages."""
    now = timezone.now()
    events = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now).exclude(
        kind=EventKind.TRAINING
    )
    return _with_organisers(events).order_by("starts_at")


def registrations_sent_by(organisation):
    return (
        Registration.objects.filter(sent_by_organisation=organisation, anonymised_at__isnull=True)
        .select_related("event")
        .order_by("-created_at")
    )
