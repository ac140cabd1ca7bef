"""API routes of the events area: the public calendar, registration, the signed link."""

from datetime import datetime

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from maillage.api.auth import token_auth
from maillage.api.errors import responses
from maillage.api.pagination import Mapped, paginated
from maillage.api.throttling import registration_throttle
from maillage.api.types import Day, Id, InSchema, Moment, bounded, choice
from maillage.core.errors import DomainError
from maillage.core.parsing import INT_MAX
from maillage.core.signing import BadLink
from maillage.events import selectors, services
from maillage.events.enums import Audience, EventKind, EventStatus, RegistrationStatus
from maillage.events.links import registration_from_token
from maillage.events.seats import seats_for
from maillage.partners.models import Department, Organisation

router = Router(tags=["events"])


class OrganiserOut(Schema):
    slug: str
    name: str
    is_lead: bool


class QuestionOut(Schema):
    key: str
    label: str
    required: bool


class SeatsReservedOut(Schema):
    organisation: str
    name: str
    seats: int


class EventOut(Schema):
    id: int
    title: str
    type: choice(EventKind)
    status: choice(EventStatus)
    audience: choice(Audience)
    summary: str
    starts_at: datetime
    ends_at: datetime
    department: str | None
    venue: str
    address: str
    online: bool
    capacity: int | None
    seats_left: int | None = Field(
        description="Every seat still free, the seats reserved for operators included."
    )
    seats_open_to_public: int | None = Field(
        description="What a person registering on their own can still book (None: no limit)."
    )
    seats_reserved: list[SeatsReservedOut] = Field(
        description="Seats still reserved for the people each operator sends."
    )
    seats_sentence: str = Field(
        description="What the public page says, e.g. « 2 places ouvertes au public, 1 "
        "réservée aux personnes orientées par Uniformation. »"
    )
    registration_open: bool
    organisers: list[OrganiserOut]
    questions: list[QuestionOut]
    url: str


def _event_out(event):
    now = timezone.now()
    seats = getattr(event, "seats", None) or seats_for(event)
    slugs = {o.organisation_id: o.organisation.slug for o in event.organisers.all()}
    is_open = (
        event.status == EventStatus.PUBLISHED
        and event.starts_at > now
        and not (event.registration_opens_at and now < event.registration_opens_at)
        and not (event.registration_closes_at and now >= event.registration_closes_at)
    )
    return {
        "id": event.pk,
        "title": event.title,
        "type": event.kind,
        "status": event.status,
        "audience": event.audience,
        "summary": event.summary,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "department": event.department_id,
        "venue": event.venue,
        "address": event.address,
        "online": bool(event.online_url),
        "capacity": event.capacity,
        "seats_left": seats.left(),
        "seats_open_to_public": seats.public_left,
        "seats_reserved": [
            {"organisation": slugs.get(org) or _slug(org), "name": name, "seats": n}
            for org, name, n in seats.reserved_left
        ],
        "seats_sentence": seats.sentence,
        "registration_open": is_open,
        "organisers": [
            {"slug": o.organisation.slug, "name": o.organisation.name, "is_lead": o.is_lead}
            for o in event.organisers.all()
        ],
        "questions": event.questions,
        "url": event.get_absolute_url(),
    }


class _MappedWithSeats(Mapped):
    """A page of events, their seat ledgers read in two queries for the whole page."""

    def __getitem__(self, index):
        return [self.function(event) for event in selectors.with_seats(self.queryset[index])]


def _slug(organisation_id):
    return Organisation.objects.values_list("slug", flat=True).get(pk=organisation_id)


@router.get("/events", response=responses(list[EventOut], auth=False), auth=None)
@paginated
def events_list(
    request,
    department: str | None = None,
    type: choice(EventKind) | None = None,
    organisation: str | None = None,
    date_from: Day | None = None,
):
    events = selectors.events_public(
        department=department,
        kind=type,
        organisation=organisation,
        date_from=date_from or timezone.localdate(),
    )
    return _MappedWithSeats(events, _event_out)


def _viewer(request):
    """Who asks on a route open to all: a valid bearer token's member, else the session's user
    (anonymous without either). Members-only events exist only for members."""
    if request.headers.get("Authorization"):
        token_auth(request)  # sets request.user when the token is valid; ignored otherwise
    return request.user


@router.get(
    "/events/{event_id}", response=responses(EventOut, auth=False, statuses=[404]), auth=None
)
def event_get(request, event_id: Id):
    """A published event. A members-only one answers 404 without a member's token."""
    return _event_out(selectors.event_public_get(event_id, viewer=_viewer(request)))


class EventIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    type: choice(EventKind)
    starts_at: Moment
    ends_at: Moment
    department: str | None = Field(default=None, max_length=3)
    capacity: int | None = Field(default=None, ge=1, le=INT_MAX)
    organisers: list[str] = Field(default=[], max_length=20)
    questions: list[str | dict] = Field(default=[], max_length=20)
    audience: choice(Audience) = Audience.PUBLIC.value
    summary: str = Field(default="", max_length=300)
    description: str = ""
    venue: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    online_url: str = Field(default="", max_length=200)
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = None
    offer_hours: bounded(1, 24 * 14) = 48
    reminder_days: bounded(0, 30) = 2


def _aware(value):
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)  # naive times are Europe/Paris times
    return value


@router.post(
    "/events",
    response=responses({201: EventOut}, statuses=[403]),
    auth=token_auth,
)
def event_create(request, payload: EventIn):
    department = None
    if payload.department:
        department = Department.objects.filter(pk=payload.department).first()
        if department is None:
            raise DomainError("Ce département n'existe pas.", field="department")
    organisations = []
    for slug in payload.organisers:
        organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
        if organisation is None:
            raise DomainError(f"L'opérateur « {slug} » n'existe pas.", field="organisers")
        organisations.append(organisation)
    event = services.event_create(
        actor=request.user,
        organisation=services.event_lead(
            membership=request.membership, co_organisers=organisations
        ),
        title=payload.title,
        kind=payload.type,
        starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at),
        department=department,
        capacity=payload.capacity,
        audience=payload.audience,
        summary=payload.summary,
        description=payload.description,
        venue=payload.venue,
        address=payload.address,
        online_url=payload.online_url,
        registration_opens_at=_aware(payload.registration_opens_at),
        registration_closes_at=_aware(payload.registration_closes_at),
        questions=payload.questions,
        offer_hours=payload.offer_hours,
        reminder_days=payload.reminder_days,
        co_organisers=organisations,
        publish=True,
    )
    return Status(201, _event_out(selectors.event_public_get(event.pk, viewer=request.user)))


class RegistrationIn(InSchema):
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str = Field(max_length=254)
    phone: str | None = Field(default=None, max_length=30)
    answers: dict[str, str] | None = None


class RegistrationAcceptedOut(Schema):
    detail: str = Field(
        description="The same answer whether the address was already registered or not.",
        examples=[services.REGISTRATION_ANSWER],
    )


@router.post(
    "/events/{event_id}/registrations",
    response=responses(
        {202: RegistrationAcceptedOut}, auth=False, throttled=True, statuses=[404, 409]
    ),
    auth=None,
    throttle=registration_throttle,
)
def registration_create(request, event_id: Id, payload: RegistrationIn):
    """Public registration: 202 with the same answer whether the address was already
    registered or not — the answer never tells who is registered. The person receives by
    email their confirmation (or waiting-list place) and the link to their registration; an
    address already registered gets its link again, once an hour at most. A members-only
    event answers 404. Limited per client address (429 with `Retry-After`)."""
    event = selectors.event_registrable_get(event_id)
    services.registration_create(
        event=event,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        phone=payload.phone or "",
        answers=payload.answers,
    )
    return Status(202, {"detail": services.REGISTRATION_ANSWER})


class ManagedRegistrationOut(Schema):
    id: int
    status: choice(RegistrationStatus)
    position: int | None = None
    event_id: int
    offer_expires_at: datetime | None = None


def _registration_by_token(token):
    try:
        return registration_from_token(token)
    except BadLink as error:
        raise DomainError(str(error), code="bad_link") from error


def _managed_out(registration):
    return {
        "id": registration.pk,
        "status": registration.status,
        "position": services.waitlist_position(registration),
        "event_id": registration.event_id,
        "offer_expires_at": registration.offer_expires_at,
    }


@router.get(
    "/registrations/{token}",
    response=responses(ManagedRegistrationOut, auth=False, statuses=[404, 409]),
    auth=None,
)
def registration_get(request, token: str):
    return _managed_out(_registration_by_token(token))


@router.post(
    "/registrations/{token}/cancel",
    response=responses(ManagedRegistrationOut, auth=False, statuses=[404, 409]),
    auth=None,
)
def registration_cancel(request, token: str):
    """Cancel through the signed link: idempotent; the seat goes to the waiting list."""
    registration = services.registration_cancel(registration=_registration_by_token(token))
    return _managed_out(registration)


@router.delete(
    "/registrations/{token}",
    response=responses(ManagedRegistrationOut, auth=False, statuses=[404, 409]),
    auth=None,
)
def registration_delete(request, token: str):
    return registration_cancel(request, token)


@router.post(
    "/registrations/{token}/confirm",
    response=responses(ManagedRegistrationOut, auth=False, statuses=[404, 409]),
    auth=None,
)
def registration_confirm(request, token: str):
    """Take the seat offered from the waiting list (before its deadline)."""
    registration = services.offer_confirm(registration=_registration_by_token(token))
    return _managed_out(registration)


class AttendeeOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    status: choice(RegistrationStatus)
    sent_by: str | None


def _attendee_out(r):
    return {
        "id": r.pk,
        "first_name": r.first_name,
        "last_name": r.last_name,
        "email": r.email,
        "status": r.status,
        "sent_by": r.sent_by_organisation.slug if r.sent_by_organisation else None,
    }


@router.get(
    "/events/{event_id}/registrations",
    response=responses(list[AttendeeOut], statuses=[404]),
    auth=token_auth,
)
@paginated
def registrations_list(request, event_id: Id):
    """Organisers only: another organisation's event answers 404."""
    event = selectors.event_managed_get(request.membership, event_id)
    return Mapped(selectors.registrations_of(event), _attendee_out)
