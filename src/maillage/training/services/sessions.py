"""Writes on training sessions, built on the events engine (seats, waiting list, check-in).

A session is an events `Event` (kind=training, audience=members) whose seats, per-operator
quotas (seats reserved for an operator's counsellors), waiting list, reminders, check-in and
ratings are handled by `maillage.events.services`; this module adds the training rules: who
may publish, who may enrol whom, and the hours and hosts credited in the training matrix.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership
from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.events import services as events
from maillage.events.enums import Audience as EventAudience
from maillage.events.enums import EventKind, EventStatus, RegistrationStatus
from maillage.training.enums import TrainingTheme
from maillage.training.models import TrainingSession

ENROLLING_ROLES = (Role.COUNSELLOR, Role.MANAGER)


def _duration_hours(starts_at, ends_at):
    hours = Decimal((ends_at - starts_at) / timedelta(hours=1)).quantize(Decimal("0.1"))
    # A session over several days counts a working day (7 h) per day, not 24 h.
    return min(hours, Decimal(7) * max(1, (ends_at.date() - starts_at.date()).days + 1))


def can_manage(membership, session):
    """Coordinators, and the managers of a host operator, run the session."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    host_ids = {h.pk for h in session.hosts.all()}
    return membership.role == Role.MANAGER and membership.organisation_id in host_ids


def can_check_in(membership, session):
    """Coordinators and any member of a host operator (the people in the room) check in."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    return membership.organisation_id in {h.pk for h in session.hosts.all()}


@transaction.atomic
def session_create(
    *,
    actor,
    membership,
    title,
    theme,
    hosts,
    starts_at,
    ends_at,
    capacity,
    venue="",
    address="",
    online_url="",
    summary="",
    description="",
    speakers="",
    objectives="",
    hours=None,
    quotas=None,
    resources=(),
    department=None,
    publish=True,
):
    """Publish a cross-training session: an events `Event` for members, plus its training data.

    `hosts` are the host operators (a manager's own operator is always one of them);
    `quotas` maps an Organisation to the seats reserved for its counsellors.
    """
    if membership is None or membership.role not in (Role.MANAGER, Role.COORDINATOR):
        raise Forbidden(
            "Seuls la coordination et les responsables d'un opérateur hôte publient une session."
        )
    if theme not in TrainingTheme.values:
        raise DomainError("Choisissez le thème de la session.", field="theme")
    hosts = list(dict.fromkeys(hosts or []))
    if membership.role == Role.MANAGER and membership.organisation not in hosts:
        hosts.insert(0, membership.organisation)
    if not hosts:
        raise DomainError("Indiquez au moins un opérateur hôte.", field="hosts")
    if not capacity or capacity < 1:
        raise DomainError("Indiquez le nombre de places.", field="capacity")
    # The event's lead is the actor's organisation: the engine checks the actor manages it.
    event = events.event_create(
        actor=actor,
        organisation=membership.organisation,
        title=title,
        kind=EventKind.TRAINING,
        audience=EventAudience.MEMBERS,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        venue=venue,
        address=address,
        online_url=online_url,
        summary=(summary or "")[:300],
        description=description,
        department=department,
        co_organisers=[h for h in hosts if h.pk != membership.organisation_id],
        publish=False,
        # A session's quota is what each operator may send at most (the "quota").
        quotas_are_caps=True,
    )
    if hours is None:
        hours = _duration_hours(starts_at, ends_at)
    if Decimal(hours) <= 0:
        raise DomainError("La durée de formation doit être positive.", field="hours")
    session = TrainingSession.objects.create(
        event=event,
        theme=theme,
        speakers=(speakers or "").strip(),
        objectives=(objectives or "").strip(),
        hours=hours,
        created_by=actor,
    )
    session.hosts.set(hosts)
    session.resources.set(resources)
    for organisation, seats in (quotas or {}).items():
        if seats:
            events.quota_set(actor=actor, event=event, organisation=organisation, seats=seats)
    if publish:
        session.event = events.event_transition(
            actor=actor, event=event, to_status=EventStatus.PUBLISHED
        )
    audit_log(
        actor=actor,
        action="training.session.created",
        obj=session,
        organisation=membership.organisation,
        data={
            "event": event.pk,
            "hosts": [h.slug for h in hosts],
            "quotas": {o.slug: s for o, s in (quotas or {}).items() if s},
        },
    )
    return session


# What the session form edits on the event; the events engine raises the calendar SEQUENCE and
# emails every registrant the updated invitation when the time, place or link changes.
SESSION_EVENT_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "online_url",
    "capacity",
    "summary",
    "description",
)
SESSION_FIELDS = ("theme", "speakers", "objectives", "hours")


@transaction.atomic
def session_update(*, actor, membership, session, resources=None, **changes):
    """Edit a session, published or not: event fields through the events engine (which tells
    the enrolled people, with the updated invitation), training fields here."""
    if not can_manage(membership, session):
        raise Forbidden(
            "Seuls la coordination et les responsables d'un opérateur hôte modifient une session."
        )
    unknown = set(changes) - set(SESSION_EVENT_FIELDS) - set(SESSION_FIELDS)
    if unknown:
        raise DomainError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    if "theme" in changes and changes["theme"] not in TrainingTheme.values:
        raise DomainError("Choisissez le thème de la session.", field="theme")
    if "summary" in changes:
        changes["summary"] = (changes["summary"] or "")[:300]
    event_fields = {k: v for k, v in changes.items() if k in SESSION_EVENT_FIELDS}
    session.event = events.event_update(actor=actor, event=session.event, **event_fields)
    hours = changes.get("hours")
    if "hours" in changes and hours is None:
        hours = _duration_hours(session.event.starts_at, session.event.ends_at)
    if hours is not None and Decimal(hours) <= 0:
        raise DomainError("La durée de formation doit être positive.", field="hours")
    own = {k: v for k, v in changes.items() if k in SESSION_FIELDS and k != "hours"}
    own = {k: (v or "").strip() for k, v in own.items()}
    if hours is not None:
        own["hours"] = Decimal(hours)
    changed = sorted(name for name, value in own.items() if getattr(session, name) != value)
    for name in changed:
        setattr(session, name, own[name])
    if changed:
        session.save(update_fields=changed)
    if resources is not None:
        session.resources.set(resources)
    audit_log(
        actor=actor,
        action="training.session.updated",
        obj=session,
        organisation=membership.organisation,
        data={
            "event": session.event.pk,
            "fields": sorted(event_fields) + changed,
            "sequence": session.event.ics_sequence,
        },
    )
    return session


@transaction.atomic
def session_cancel(*, actor, membership, session, message=""):
    """Cancel a session: the engine cancels every enrolment and tells each person (with .ics)."""
    if not can_manage(membership, session):
        raise Forbidden(
            "Seuls la coordination et les responsables d'un opérateur hôte annulent une session."
        )
    event = events.event_transition(
        actor=actor, event=session.event, to_status=EventStatus.CANCELLED, message=message
    )
    audit_log(
        actor=actor,
        action="training.session.cancelled",
        obj=session,
        organisation=membership.organisation,
        data={"event": event.pk, "message": (message or "").strip()[:300]},
    )
    session.event = event
    return session


def _member_of(membership, member):
    """The active membership `member` (a Membership) of the manager's own organisation."""
    if member.organisation_id != membership.organisation_id or not member.is_active:
        raise Forbidden("Vous n'inscrivez que les membres de votre organisation.")
    return member


@transaction.atomic
def enrolment_create(*, actor, membership, session, member=None):
    """Enrol the actor (counsellor or manager), or one of a manager's members.

    Returns the events Registration: `confirmed`, or `waitlisted` when the session is full or
    the operator's reserved seats and the open seats are all taken.
    """
    if membership is None or membership.role not in ENROLLING_ROLES:
        raise Forbidden(
            "Les sessions sont ouvertes aux conseillers et responsables des opérateurs."
        )
    if member is None:
        member = membership
    elif member.pk != membership.pk:
        if membership.role != Role.MANAGER:
            raise Forbidden("Seul un responsable inscrit les membres de son organisation.")
        _member_of(membership, member)
    user = member.user
    registration, created = events.registration_create(
        event=session.event,
        first_name=user.first_name or user.email.split("@")[0],
        last_name=user.last_name or "-",
        email=user.email,
        user=user,
        sent_by_organisation=member.organisation,
        sent_by=actor,
        actor=actor,
    )
    if created:
        audit_log(
            actor=actor,
            action="training.enrolment.created",
            obj=session,
            organisation=member.organisation,
            data={"registration": registration.pk, "status": registration.status},
        )
    return registration


@transaction.atomic
def enrolment_cancel(*, actor, membership, registration):
    """The person themself, or their operator's manager, cancels; the seat goes to the next."""
    own = registration.user_id == actor.pk
    manager = (
        membership is not None
        and membership.role == Role.MANAGER
        and registration.sent_by_organisation_id == membership.organisation_id
    )
    if not (own or manager):
        raise Forbidden("Vous ne pouvez pas annuler cette inscription.")
    return events.registration_cancel(registration=registration, actor=actor)


@transaction.atomic
def attendance_mark(*, actor, membership, session, registration, present):
    """Check a participant in (present) or out (absent); hosts' members and coordinators."""
    if not can_check_in(membership, session):
        raise Forbidden("Seuls les opérateurs hôtes et la coordination font le pointage.")
    if registration.status not in (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.ATTENDED,
        RegistrationStatus.NO_SHOW,
    ):
        raise DomainError("Seules les personnes inscrites (confirmées) sont pointées.")
    # The engine checks its own organisers; our hosts are its organisers, or a coordinator.
    # Sessions keep their hosts' own check-in rule, not the events' day-of window.
    return events.checkin_mark(
        actor=actor, registration=registration, present=present, window=False
    )


@transaction.atomic
def session_rate(*, actor, registration, rating, comment=""):
    """A participant marked present rates the session once it is over."""
    if registration.user_id != actor.pk:
        raise Forbidden("Vous ne notez que vos propres sessions.")
    if registration.status != RegistrationStatus.ATTENDED:
        raise DomainError("Seules les personnes présentes à la session peuvent la noter.")
    return events.survey_answer(registration=registration, rating=rating, comment=comment)


def members_for_enrolment(membership):
    """The active members a manager may enrol (their own organisation's)."""
    return (
        Membership.objects.active()
        .filter(organisation_id=membership.organisation_id, role__in=ENROLLING_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
