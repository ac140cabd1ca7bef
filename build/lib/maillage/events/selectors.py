"""Reads of the events area: the public calendar, and organisers' scoped views."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.selectors import active_memberships_of
from maillage.events.enums import EXPECTED, SEAT_HOLDING, Audience, EventKind, EventStatus
from maillage.events.enums import RegistrationStatus as RS
from maillage.events.models import Event, EventOrganiser, Registration

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
    events = events.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status__in=SEAT_HOLDING))
    )
    return _with_organisers(events).order_by("starts_at", "pk")


def _is_member(viewer):
    return bool(
        viewer is not None and viewer.is_authenticated and active_memberships_of(viewer).exists()
    )


def event_public_get(pk, *, viewer=None):
    """A published event as `viewer` may see it: a members-only event does not exist (404,
    like a missing one) unless the viewer is a signed-in member. The page, the ICS and the API
    all fetch through here, so that no channel shows more than another."""
    events = Event.objects.filter(status__in=PUBLIC_STATUSES)
    if not _is_member(viewer):
        events = events.filter(audience=Audience.PUBLIC)
    return get_object_or_404(_with_organisers(events), pk=pk)


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
        for status in RS.values
    }
    return _with_organisers(events.annotate(**counts)).order_by("-starts_at", "-pk")


def event_managed_get(membership, pk):
    """404 for an event the current organisation does not organise (same as missing)."""
    return get_object_or_404(events_managed_by(membership), pk=pk)


def registrations_of(event):
    return event.registrations.select_related("sent_by_organisation").order_by(
        "last_name", "first_name", "pk"
    )


def checkin_list(event):
    return registrations_of(event).filter(status__in=EXPECTED)


def waiting_list(event):
    return event.registrations.filter(status__in=[RS.WAITLISTED, RS.OFFERED]).order_by(
        "waitlisted_at", "pk"
    )


def status_counts(event):
    counts = dict(event.registrations.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in RS.values}


def attendance_credits(event):
    """Per co-organiser: its contribution, the event's attendance credited to it, and the
    attendance of the people it sent itself."""
    counts = status_counts(event)
    attended_total = counts[RS.ATTENDED]
    sent = dict(
        event.registrations.filter(status=RS.ATTENDED)
        .values_list("sent_by_organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for organiser in event.organisers.select_related("organisation"):
        rows.append(
            {
                "organiser": organiser,
                "attended_credited": attended_total,
                "attended_sent": sent.get(organiser.organisation_id, 0),
            }
        )
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
