"""The registration engine: seats under a lock, waiting list, time-boxed offers, check-in."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.batch import rows_in_one_round_trip
from maillage.core.errors import Conflict, DomainError, Forbidden
from maillage.core.scoping import scopes_disabled
from maillage.events import notifications
from maillage.events.enums import (
    SEAT_HOLDING,
    Audience,
    CancelReason,
    EventStatus,
    RegistrationStatus,
)
from maillage.events.models import Registration
from maillage.events.seats import seats_for
from maillage.events.services._common import (
    REGISTRATION_FIELDS,
    event_lock,
    registration_lock,
    registration_move,
    require_organiser,
    sqlite_retry,
)
from maillage.events.workflow import REGISTRATION_WF

OPEN_STATUSES = (EventStatus.PUBLISHED,)
# Someone registering an address again gets the link again, at most this often.
LINK_RESEND_INTERVAL = timedelta(hours=1)
# What the public is told after registering, whether the address was already registered or
# not: the answer must not tell a stranger who is registered (the email tells the person).
REGISTRATION_ANSWER = (
    "Merci. Si cette adresse n'était pas encore inscrite, vous recevez une confirmation par "
    "e-mail ; sinon nous vous renvoyons votre lien pour voir ou annuler votre inscription."
)
# A freed seat is offered while the event has not started, even once registration is closed.
OFFERING_STATUSES = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)
# Who cancels, for the table (`REGISTRATION_WF`), by the reason of the cancellation.
CANCELLED_BY = {
    CancelReason.SELF: "person",
    CancelReason.OFFER_DECLINED: "person",
    CancelReason.ORGANISER: "organiser",
    CancelReason.OFFER_EXPIRED: "system",
    CancelReason.EVENT_CANCELLED: "system",
}


# --- seats -------------------------------------------------------------------------------------
def seats_left(event):
    """Seats still free (reserved ones included); None when the event has no limit."""
    return seats_for(event, with_names=False).left()


@scopes_disabled()
def waitlist_position(registration):
    """1 for the first person waiting; None when not on the waiting list."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk),
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return ahead + 1


@scopes_disabled()
def _offer_freed_seats(event, *, actor=None):
    """Offer every free seat to the first person waiting who may take it (time-boxed)."""
    now = timezone.now()
    if event.status not in OFFERING_STATUSES or event.starts_at <= now:
        return []
    seats = seats_for(event, with_names=False)
    offered = []
    waiting = Registration.objects.filter(
        event=event, status=RegistrationStatus.WAITLISTED
    ).order_by("waitlisted_at", "pk")
    for registration in waiting.select_related("event"):
        if not seats.available_for(registration.sent_by_organisation_id):
            if seats.left() == 0:
                break
            continue
        seats.take(registration.sent_by_organisation_id)
        registration.offer_expires_at = min(
            now + timedelta(hours=event.offer_hours), event.starts_at
        )
        registration_move(
            registration,
            RegistrationStatus.OFFERED,
            who="system",
            actor=actor,
            reason="seat_freed",
            fields=["offer_expires_at"],
            now=now,
        )
        notifications.notify_offered(registration)
        offered.append(registration)
    return offered


# --- input -------------------------------------------------------------------------------------
def _clean_person(first_name, last_name, email, phone):
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    email, phone = (email or "").strip().lower(), (phone or "").strip()
    if not first_name:
        raise DomainError("Indiquez le prénom.", code="required", field="first_name")
    if not last_name:
        raise DomainError("Indiquez le nom.", code="required", field="last_name")
    if len(first_name) > 100 or len(last_name) > 100:
        raise DomainError("Le nom ou le prénom est trop long.", code="too_long", field="last_name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(
            "Indiquez une adresse e-mail valide.", code="invalid_email", field="email"
        ) from exc
    if phone and (len(phone) > 30 or not all(c.isdigit() or c in " +.-()" for c in phone)):
        raise DomainError("Ce numéro de téléphone n'est pas valide.", code="invalid", field="phone")
    return first_name, last_name, email, phone


def _clean_answers(event, answers):
    answers = answers or {}
    if not isinstance(answers, dict):
        raise DomainError("Les réponses sont mal formées.", code="invalid", field="answers")
    cleaned = {}
    for question in event.questions or []:
        key = question["key"]
        value = str(answers.get(key) or "").strip()[:2000]
        if question.get("required") and not value:
            raise DomainError(
                f"Répondez à la question « {question['label']} ».",
                code="required",
                field=f"answers.{key}",
            )
        if value:
            cleaned[key] = value
    return cleaned


def _check_open(event, now):
    if event.status == EventStatus.CANCELLED:
        raise Conflict("Cet évènement est annulé.", code="event_cancelled")
    if event.status != EventStatus.PUBLISHED:
        raise Conflict("Les inscriptions à cet évènement sont closes.", code="registration_closed")
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at)
        raise Conflict(
            f"Les inscriptions ouvriront le {opens:%d/%m/%Y à %H:%M}.", code="registration_not_open"
        )
    if (event.registration_closes_at and now >= event.registration_closes_at) or (
        now >= event.starts_at
    ):
        raise Conflict("Les inscriptions à cet évènement sont closes.", code="registration_closed")


# --- services ----------------------------------------------------------------------------------
@sqlite_retry
@scopes_disabled()
def registration_create(
    *,
    event,
    first_name,
    last_name,
    email,
    phone="",
    answers=None,
    user=None,
    sent_by_organisation=None,
    sent_by=None,
    actor=None,
):
    """Register a person; return (registration, created). Same email again → the existing one
    (its link e-mailed again, once an hour at most). Every check runs before the address
    found is acted on, so that a refusal never depends on whether it is registered.

    What needs no lock runs before it (the input, the answers, the address looked up); under
    the event's lock: the opening, the seats, the row, then its log row, audit entry and email
    in one round trip — the lock is what 1,000 people opening at once queue for (issue 19)."""
    first_name, last_name, email, phone = _clean_person(first_name, last_name, email, phone)
    person = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "answers": _clean_answers(event, answers),
        "user": user,
        "sent_by_organisation": sent_by_organisation,
        "sent_by": sent_by if getattr(sent_by, "is_authenticated", False) else None,
    }
    try:
        return _register(event.pk, person, _registered_id(event.pk, email, user), actor=actor)
    except IntegrityError:
        # The same address (or account) registered between the look-up and the lock: the unique
        # constraint refused the second row (and the transaction, or its savepoint, was rolled
        # back). Answer as for an address already registered.
        existing_id = _registered_id(event.pk, email, user)
        if existing_id is None:
            raise
        return _register(event.pk, person, existing_id, actor=actor)


def _registered_id(event_id, email, user):
    """The id of this person's registration to the event (whatever its status), or None."""
    mine = Registration.objects.filter(event_id=event_id).values_list("pk", flat=True)
    existing_id = mine.filter(email=email).first()
    if existing_id is None and user is not None:
        existing_id = mine.filter(user=user).first()
    return existing_id


@transaction.atomic
def _register(event_id, person, existing_id, *, actor):
    event = event_lock(event_id, fields=REGISTRATION_FIELDS)
    now = timezone.now()
    _check_open(event, now)
    if event.audience == Audience.MEMBERS and person["user"] is None:
        raise Forbidden(
            "Cet évènement est réservé aux membres du partenariat : connectez-vous.",
            code="members_only",
        )
    existing = None
    if existing_id is not None:
        # Read again under the lock: it may have moved since the look-up.
        existing = Registration.objects.select_for_update().filter(pk=existing_id).first()
    if existing is not None:
        existing.event = event
        if existing.status != RegistrationStatus.CANCELLED:
            _link_resend(existing, now)
            return existing, False
    seats = seats_for(event, with_names=False)
    sent_by_organisation = person["sent_by_organisation"]
    organisation_id = sent_by_organisation.pk if sent_by_organisation else None
    status = (
        RegistrationStatus.CONFIRMED
        if seats.available_for(organisation_id)
        else RegistrationStatus.WAITLISTED
    )
    values = {
        **person,
        "confirmed_at": now if status == RegistrationStatus.CONFIRMED else None,
        "waitlisted_at": now if status == RegistrationStatus.WAITLISTED else None,
    }
    if existing is None:
        registration = Registration.objects.create(event=event, status=status, **values)
    with rows_in_one_round_trip():
        if existing is not None:
            # Re-registering after a cancellation reopens the same row: one person, one row.
            for name, value in values.items():
                setattr(existing, name, value)
            existing.cancelled_at, existing.cancel_reason = None, ""
            existing.offered_at = existing.offer_expires_at = None
            registration = existing
            registration_move(
                registration,
                status,
                who="person",
                actor=actor,
                reason="registered_again",
                fields=[
                    *values.keys(),
                    "cancelled_at",
                    "cancel_reason",
                    "offered_at",
                    "offer_expires_at",
                ],
            )
        else:
            REGISTRATION_WF.start(
                registration,
                actor=actor or values["sent_by"],
                organisation=sent_by_organisation or event.lead_organisation,
                log={"reason": "registered"},
                audit={"event": event.pk, "sent_by": organisation_id},
            )
        if status == RegistrationStatus.CONFIRMED:
            notifications.notify_confirmed(registration)
        else:
            # Last in line: everyone already waiting was waitlisted earlier, under this same
            # lock (`waitlist_position` would count them again).
            notifications.notify_waitlisted(registration, seats.waiting + 1)
    return registration, True


def _link_resend(registration, now):
    """E-mail the link again, unless it was re-sent less than an hour ago: a form posted in a
    loop must not flood someone's inbox."""
    last = registration.link_resent_at
    if last is not None and now - last < LINK_RESEND_INTERVAL:
        return False
    registration.link_resent_at = now
    registration.save(update_fields=["link_resent_at"])
    notifications.notify_existing(registration)
    return True


@sqlite_retry
@transaction.atomic
def registration_cancel(*, registration, actor=None, reason=CancelReason.SELF, message=""):
    """Cancel (idempotent) and offer the freed seat to the first person waiting. `message`
    (an organiser's cancellation) is quoted in the email to the person."""
    event = event_lock(registration.event_id)
    registration = registration_lock(registration.pk)
    registration.event = event
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW) or (
        reason == CancelReason.SELF and event.starts_at <= timezone.now()
    ):
        raise DomainError(
            "L'évènement a commencé : l'inscription ne peut plus être annulée.", code="too_late"
        )
    held_seat = registration.status in SEAT_HOLDING
    registration.cancel_reason = reason
    registration_move(
        registration,
        RegistrationStatus.CANCELLED,
        who=CANCELLED_BY[reason],
        actor=actor,
        reason=reason,
        fields=["cancel_reason"],
    )
    if reason == CancelReason.EVENT_CANCELLED:
        notifications.notify_event_cancelled(registration)
    elif reason == CancelReason.OFFER_EXPIRED:
        notifications.notify_offer_expired(registration)
    elif reason == CancelReason.ORGANISER:
        notifications.notify_cancelled_by_organiser(registration, message=message)
    else:
        notifications.notify_cancelled(registration)
    if held_seat:
        _offer_freed_seats(event, actor=actor)
    return registration


@sqlite_retry
@transaction.atomic
def offer_confirm(*, registration, actor=None):
    """Take the offered seat. An overdue offer is expired here (and passed on) instead."""
    event = event_lock(registration.event_id)
    registration = registration_lock(registration.pk)
    registration.event = event
    if registration.status == RegistrationStatus.CONFIRMED:
        return registration
    if registration.status != RegistrationStatus.OFFERED:
        raise DomainError("Aucune place ne vous est proposée pour le moment.", code="no_offer")
    if registration.offer_expires_at <= timezone.now():
        _expire(event, registration)
        return registration
    registration.confirmed_at = timezone.now()
    registration_move(
        registration,
        RegistrationStatus.CONFIRMED,
        who="person",
        actor=actor,
        reason="offer_confirmed",
        fields=["confirmed_at"],
    )
    notifications.notify_confirmed(registration)
    return registration


def offer_decline(*, registration, actor=None):
    if registration.status != RegistrationStatus.OFFERED:
        raise DomainError("Aucune place ne vous est proposée pour le moment.", code="no_offer")
    return registration_cancel(
        registration=registration, actor=actor, reason=CancelReason.OFFER_DECLINED
    )


def _expire(event, registration):
    registration.cancel_reason = CancelReason.OFFER_EXPIRED
    registration_move(
        registration,
        RegistrationStatus.CANCELLED,
        who="system",
        reason=CancelReason.OFFER_EXPIRED,
        fields=["cancel_reason"],
    )
    notifications.notify_offer_expired(registration)
    _offer_freed_seats(event)


@sqlite_retry
@transaction.atomic
@scopes_disabled()
def offer_expire(*, registration_id):
    """Expire one overdue offer and pass it on; False when there is nothing to do (idempotent)."""
    registration = Registration.objects.filter(pk=registration_id).only("event_id").first()
    if registration is None:
        return False
    event = event_lock(registration.event_id)
    registration = registration_lock(registration_id)
    registration.event = event
    if (
        registration.status != RegistrationStatus.OFFERED
        or registration.offer_expires_at > timezone.now()
    ):
        return False
    _expire(event, registration)
    return True


@scopes_disabled()
def offers_expire_due():
    """Every overdue offer, one transaction each; returns how many were expired."""
    due = Registration.objects.filter(
        status=RegistrationStatus.OFFERED, offer_expires_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(offer_expire(registration_id=pk) for pk in list(due))


@sqlite_retry
@transaction.atomic
def registration_cancel_by_organiser(*, actor, registration, message=""):
    """An organiser cancels one person's registration: the person is told by email (with
    `message`), the seat goes to the waiting list as for any cancellation."""
    event = event_lock(registration.event_id)
    require_organiser(actor, event)
    message = (message or "").strip()[:1000]
    return registration_cancel(
        registration=registration, actor=actor, reason=CancelReason.ORGANISER, message=message
    )


def checkin_window(event):
    """(opens, closes) of the check-in: from the start of the event's day in Paris, or from
    MAILLAGE_CHECKIN_OPENS_HOURS_BEFORE hours before it starts when that is earlier, until the
    end of the day it ends (a paper sheet is typed in the same evening)."""
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    day_start = starts.replace(hour=0, minute=0, second=0, microsecond=0)
    hours = getattr(settings, "MAILLAGE_CHECKIN_OPENS_HOURS_BEFORE", 0) or 0
    opens = min(day_start, event.starts_at - timedelta(hours=hours)) if hours else day_start
    closes = ends.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return opens, closes


def checkin_refusal(event, now=None):
    """Why check-in is not possible now (French), or "" when it is."""
    now = now or timezone.now()
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        return "Cet évènement n'a pas lieu : pas de pointage."
    opens, closes = checkin_window(event)
    if now < opens:
        return (
            "Le pointage ouvre le jour de l'évènement, le "
            f"{timezone.localtime(opens):%d/%m/%Y à %H:%M}."
        )
    if now >= closes:
        return "Le pointage est clos : il se fait au plus tard le jour de l'évènement."
    return ""


@sqlite_retry
@transaction.atomic
def checkin_mark(*, actor, registration, present, window=True):
    """Mark a registrant present or absent (organisers of the event only), on the day of the
    event (`checkin_window`). `window=False`: the caller keeps its own rule (training)."""
    event = event_lock(registration.event_id)
    require_organiser(actor, event)
    registration = registration_lock(registration.pk)
    registration.event = event
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise DomainError("Cet évènement n'a pas lieu : pas de pointage.", code="not_held")
    refusal = checkin_refusal(event) if window else ""
    if refusal:
        raise Conflict(refusal, code="checkin_closed")
    target = RegistrationStatus.ATTENDED if present else RegistrationStatus.NO_SHOW
    if registration.status == target:
        return registration
    registration.checked_in_at = timezone.now() if present else None
    registration_move(
        registration,
        target,
        who="organiser",
        actor=actor,
        reason="checkin",
        fields=["checked_in_at"],
    )
    return registration


@sqlite_retry
@transaction.atomic
def survey_answer(*, registration, rating, comment=""):
    registration = registration_lock(registration.pk)
    if registration.status not in (RegistrationStatus.ATTENDED, RegistrationStatus.CONFIRMED):
        raise DomainError(
            "Seules les personnes venues peuvent donner leur avis.", code="not_attended"
        )
    if registration.event.ends_at > timezone.now():
        raise DomainError("Vous pourrez donner votre avis après l'évènement.", code="too_early")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError("Choisissez une note de 1 à 5.", code="invalid", field="rating")
    registration.survey_rating = rating
    registration.survey_comment = (comment or "").strip()[:2000]
    registration.survey_answered_at = timezone.now()
    registration.save(update_fields=["survey_rating", "survey_comment", "survey_answered_at"])
    audit_log(
        actor=None,
        action="events.registration.survey_answered",
        obj=registration,
        data={"event": registration.event_id, "rating": rating},
    )
    return registration
