"""Helpers shared by the event services: locks, transitions with their log, permissions."""

import logging
import random
import time
from functools import wraps

from django.db import OperationalError, connection

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership
from maillage.core.errors import DomainError, Forbidden
from maillage.core.scoping import scopes_disabled
from maillage.events.models import Event, Registration
from maillage.events.workflow import REGISTRATION_ACTION_TO, REGISTRATION_WF
from maillage.jobs.queue import enqueue_with_transaction

# What a registration reads of its event under the lock: the opening, the seat rule, what its
# email and audit entry name (`event_lock(pk, fields=REGISTRATION_FIELDS)`).
REGISTRATION_FIELDS = (
    "status",
    "audience",
    "capacity",
    "quotas_are_caps",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "title",
    "ics_sequence",
    "lead_organisation__id",
)


def event_lock(event_id, *, fields=None):
    """The event row, locked until the transaction ends: every seat change goes through it.

    PostgreSQL: SELECT … FOR UPDATE. SQLite ignores it, but the settings open every transaction
    with BEGIN IMMEDIATE, so concurrent writers wait for each other (busy timeout) instead.
    The lead operator comes in the same query (every move writes it in its audit entry), and
    only the event's row is locked (`of`), not the operator's, which other events share.
    `fields` narrows what is read (the others load on access, one query each): the busiest
    caller, `registration_create`, holds the lock for less time with 11 columns than with 52.
    """
    events = Event.objects.select_for_update(of=("self",)).select_related("lead_organisation")
    if fields is not None:
        events = events.only(*fields)
    return events.get(pk=event_id)


logger = logging.getLogger(__name__)


class Busy(DomainError):
    """Too many simultaneous writers for the database to serve now: try again in a moment."""

    status_code = 503


SQLITE_ATTEMPTS = 6


def sqlite_retry(func):
    """Retry a whole transaction when SQLite's busy timeout gave up under write contention.

    SQLite's busy handler is not first-come first-served: under a burst of writers one of them
    can wait past the timeout and get "database is locked". The operation then starts again
    from scratch (nothing was written). PostgreSQL queues on the row lock and never gets here.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(SQLITE_ATTEMPTS):
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                if (
                    connection.vendor != "sqlite"
                    or connection.in_atomic_block
                    or "locked" not in str(error)
                ):
                    raise
                # Jittered back-off so the retrying writers do not collide again.
                time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
        raise Busy(
            "Beaucoup de demandes arrivent en même temps : réessayez dans un instant.",
            code="busy",
        )

    return wrapper


def enqueue_after_commit(task, **kwargs):
    """Queue a job with the current transaction: it is accepted if and only if the change is."""
    return enqueue_with_transaction(task, **kwargs)


@scopes_disabled()
def registration_lock(registration_id):
    return Registration.objects.select_for_update().get(pk=registration_id)


def registration_move(registration, to_status, *, who, actor=None, reason="", fields=(), now=None):
    """Apply one move of the declared table (log row, audit entry); the caller holds the locks."""
    action = REGISTRATION_ACTION_TO.get(to_status)
    if action is None:
        raise DomainError("Cet état d'inscription n'existe pas.", code="invalid_transition")
    REGISTRATION_WF.apply(
        registration,
        action,
        actor=actor,
        who=who,
        organisation=registration.event.lead_organisation,
        now=now,
        fields=fields,
        log={"reason": reason},
        audit={"event": registration.event_id, "reason": reason},
    )


def organiser_memberships(user, event):
    """The user's active memberships that let them run this event (organiser or coordinator)."""
    if user is None or not user.is_authenticated:
        return []
    organiser_ids = set(event.organisers.values_list("organisation_id", flat=True))
    organiser_ids.add(event.lead_organisation_id)
    return [
        m
        for m in Membership.objects.active().filter(user=user)
        if m.role == Role.COORDINATOR or m.organisation_id in organiser_ids
    ]


def require_organiser(user, event, *, managers_only=False):
    memberships = organiser_memberships(user, event)
    if managers_only:
        memberships = [m for m in memberships if m.role in (Role.MANAGER, Role.COORDINATOR)]
    if not memberships:
        raise Forbidden(
            "Seuls les responsables des opérateurs organisateurs et la coordination peuvent "
            "faire cette action."
            if managers_only
            else "Seuls les membres des opérateurs organisateurs peuvent faire cette action."
        )
    return memberships[0]
