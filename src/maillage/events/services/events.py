"""Event services: create, edit, move through its states, co-organisers and reserved seats."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership
from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.core.scoping import scopes_disabled
from maillage.events import ics, notifications
from maillage.events.enums import (
    Audience,
    CancelReason,
    EventKind,
    EventStatus,
    RegistrationStatus,
)
from maillage.events.models import Event, EventOrganiser, SeatQuota
from maillage.events.services._common import event_lock, require_organiser
from maillage.events.workflow import EVENT_ACTION_TO, EVENT_WF
from maillage.partners.enums import OrganisationKind

EDITABLE_FIELDS = (
    "title",
    "kind",
    "audience",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "department",
    "venue",
    "address",
    "online_url",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "questions",
    "offer_hours",
    "reminder_days",
)


def _require_creator(actor, organisation):
    """A manager of the lead operator, or a coordinator (who may name any lead operator)."""
    memberships = Membership.objects.active().filter(user=actor)
    membership = (
        memberships.filter(organisation=organisation, role=Role.MANAGER).first()
        or memberships.filter(role=Role.COORDINATOR).first()
    )
    if membership is None:
        raise Forbidden(
            "Seuls les responsables d'un opérateur et la coordination créent des évènements.",
            code="forbidden",
        )
    return membership


def event_lead(*, membership, co_organisers=()):
    """Who leads a new event, whatever the channel (page or API): the creator's operator. A
    coordinator creates on behalf of the partnership: the first operator named leads."""
    co_organisers = list(co_organisers)
    if membership.role == Role.COORDINATOR and co_organisers:
        return co_organisers[0]
    return membership.organisation


def questions_clean(questions):
    """[{"label", "required"?, "key"?}] or plain strings → questions with unique keys."""
    cleaned, keys = [], set()
    for item in questions or []:
        if isinstance(item, str):
            item = {"label": item}
        if not isinstance(item, dict):
            raise DomainError("Une question est mal formée.", code="invalid", field="questions")
        label = str(item.get("label") or "").strip()[:200]
        if not label:
            raise DomainError("Une question n'a pas d'intitulé.", code="invalid", field="questions")
        key = slugify(item.get("key") or label)[:40] or f"q{len(cleaned) + 1}"
        while key in keys:
            key = f"{key}-{len(cleaned) + 1}"
        keys.add(key)
        cleaned.append({"key": key, "label": label, "required": bool(item.get("required"))})
    if len(cleaned) > 10:
        raise DomainError("Dix questions au plus.", code="invalid", field="questions")
    return cleaned


def _validate(event):
    if event.kind not in EventKind.values:
        raise DomainError("Ce type d'évènement n'existe pas.", code="invalid", field="kind")
    if event.audience not in Audience.values:
        raise DomainError("Ce public n'existe pas.", code="invalid", field="audience")
    if not (event.title or "").strip():
        raise DomainError("Indiquez un titre.", code="required", field="title")
    if event.ends_at <= event.starts_at:
        raise DomainError("La fin doit suivre le début.", code="invalid", field="ends_at")
    if event.ends_at - event.starts_at > timedelta(days=14):
        raise DomainError("Un évènement dure au plus 14 jours.", code="invalid", field="ends_at")
    if event.capacity is not None and event.capacity < 1:
        raise DomainError("Au moins une place, ou aucune limite.", code="invalid", field="capacity")
    if (
        event.registration_opens_at
        and event.registration_closes_at
        and event.registration_closes_at < event.registration_opens_at
    ):
        raise DomainError(
            "La clôture des inscriptions doit suivre leur ouverture.",
            code="invalid",
            field="registration_closes_at",
        )
    if not event.offer_hours or event.offer_hours < 1:
        raise DomainError("Au moins une heure pour répondre.", code="invalid", field="offer_hours")
    if not (event.venue or event.address or event.online_url):
        raise DomainError(
            "Indiquez un lieu ou un lien de connexion.", code="required", field="venue"
        )


@transaction.atomic
def event_create(
    *,
    actor,
    organisation,
    title,
    kind,
    starts_at,
    ends_at,
    department=None,
    capacity=None,
    audience=Audience.PUBLIC,
    venue="",
    address="",
    online_url="",
    summary="",
    description="",
    registration_opens_at=None,
    registration_closes_at=None,
    questions=(),
    offer_hours=48,
    reminder_days=2,
    co_organisers=(),
    publish=False,
    quotas_are_caps=False,
):
    _require_creator(actor, organisation)
    event = Event(
        title=(title or "").strip(),
        kind=kind,
        audience=audience,
        summary=summary,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        department=department,
        venue=venue,
        address=address,
        online_url=online_url,
        capacity=capacity,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        questions=questions_clean(questions),
        offer_hours=offer_hours,
        reminder_days=reminder_days,
        quotas_are_caps=quotas_are_caps,
        lead_organisation=organisation,
        created_by=actor,
    )
    _validate(event)
    event.save()
    EventOrganiser.objects.create(event=event, organisation=organisation, is_lead=True)
    for other in co_organisers:
        if other.pk == organisation.pk:
            continue
        if other.kind == OrganisationKind.GATEWAY or not other.is_active:
            raise DomainError(
                f"« {other.name} » ne peut pas co-organiser d'évènement.",
                code="invalid",
                field="organisers",
            )
        EventOrganiser.objects.get_or_create(event=event, organisation=other)
    audit_log(actor=actor, action="events.event.created", obj=event, organisation=organisation)
    if publish:
        event_transition(actor=actor, event=event, to_status=EventStatus.PUBLISHED)
        event.refresh_from_db()
    return event


@transaction.atomic
def event_update(*, actor, event, **fields):
    event = event_lock(event.pk)
    require_organiser(actor, event, managers_only=True)
    if event.status in (EventStatus.HELD, EventStatus.CANCELLED):
        raise DomainError("Un évènement tenu ou annulé ne se modifie plus.", code="closed")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"Champs inconnus : {', '.join(sorted(unknown))}.", code="invalid")
    if "questions" in fields:
        fields["questions"] = questions_clean(fields["questions"])
    old_capacity = event.capacity
    previous_starts_at = event.starts_at
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, fields[name])
    _validate(event)
    if changed:
        moved = set(changed) & set(ics.CALENDAR_FIELDS)
        if moved:
            # Calendar clients replace their copy only when the SEQUENCE goes up.
            event.ics_sequence += 1
        event.save(update_fields=[*changed, "updated_at", *(["ics_sequence"] if moved else [])])
        audit_log(
            actor=actor,
            action="events.event.updated",
            obj=event,
            organisation=event.lead_organisation,
            data={"fields": changed, "sequence": event.ics_sequence},
        )
        notified = [name for name in changed if name in ics.NOTIFIED_FIELDS]
        if notified and event.status in (
            EventStatus.PUBLISHED,
            EventStatus.REGISTRATION_CLOSED,
        ):
            notifications.notify_event_changed(
                event,
                fields=notified,
                previous_starts_at=previous_starts_at if "starts_at" in notified else None,
            )
    if old_capacity is not None and (event.capacity is None or event.capacity > old_capacity):
        from maillage.events.services.registrations import _offer_freed_seats

        _offer_freed_seats(event, actor=actor)
    return event


@transaction.atomic
@scopes_disabled()
def event_transition(*, actor, event, to_status, message=""):
    """Move the event to `to_status` (declared table); cancelling tells every registrant."""
    from maillage.events.services.registrations import registration_cancel

    event = event_lock(event.pk)
    require_organiser(actor, event, managers_only=True)
    from_status = event.status
    action = EVENT_ACTION_TO.get(to_status)
    if action is None or to_status not in EVENT_WF.targets(from_status):
        raise DomainError(
            f"Cet évènement est « {EventStatus(from_status).label} » : "
            f"il ne peut pas passer à « {EventStatus(to_status).label} ».",
            code="invalid_transition",
        )
    now = timezone.now()
    if to_status == EventStatus.HELD and event.starts_at > now:
        raise DomainError("L'évènement n'a pas encore commencé.", code="too_early")
    if to_status == EventStatus.PUBLISHED and event.ends_at <= now:
        raise DomainError("Cet évènement est passé : il ne peut plus être publié.", code="past")
    fields = ["updated_at"]
    if to_status == EventStatus.PUBLISHED and event.published_at is None:
        event.published_at = now
        fields.append("published_at")
    if to_status == EventStatus.CANCELLED:
        event.cancellation_message = (message or "").strip()[:2000]
        # The CANCEL sent to registrants and the feed's CANCELLED entry supersede every copy.
        event.ics_sequence += 1
        fields += ["cancellation_message", "ics_sequence"]
    EVENT_WF.apply(
        event,
        action,
        actor=actor,
        who="manager",
        organisation=event.lead_organisation,
        now=now,
        fields=fields,
    )
    if to_status == EventStatus.CANCELLED:
        active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        for registration in active:
            registration_cancel(
                registration=registration, actor=actor, reason=CancelReason.EVENT_CANCELLED
            )
    return event


@transaction.atomic
def organiser_set(
    *,
    actor,
    event,
    organisation,
    counsellors=0,
    hours=0,
    room="",
    stand=False,
    material="",
    note="",
):
    """Add a co-organiser or record its contribution (its own managers may edit their part)."""
    event = event_lock(event.pk)
    membership = require_organiser(actor, event, managers_only=True)
    existing = EventOrganiser.objects.filter(event=event, organisation=organisation).first()
    may_add = membership.role == Role.COORDINATOR or membership.organisation_id == (
        event.lead_organisation_id
    )
    if existing is None and not may_add:
        raise Forbidden(
            "Seul l'opérateur pilote ou la coordination ajoute un co-organisateur.",
            code="forbidden",
        )
    if existing is not None and not (may_add or membership.organisation_id == organisation.pk):
        raise Forbidden("Chaque opérateur renseigne sa propre contribution.", code="forbidden")
    if counsellors < 0 or hours < 0:
        raise DomainError("Les nombres ne peuvent pas être négatifs.", code="invalid")
    organiser = existing or EventOrganiser(event=event, organisation=organisation)
    organiser.counsellors, organiser.hours, organiser.room = counsellors, hours, room
    organiser.stand, organiser.material, organiser.note = stand, material, note
    organiser.save()
    audit_log(
        actor=actor,
        action="events.organiser.added" if existing is None else "events.organiser.updated",
        obj=event,
        organisation=organisation,
        data={"counsellors": counsellors, "hours": str(hours), "stand": stand},
    )
    return organiser


@transaction.atomic
def organiser_remove(*, actor, event, organisation):
    event = event_lock(event.pk)
    membership = require_organiser(actor, event, managers_only=True)
    if membership.role != Role.COORDINATOR and membership.organisation_id != (
        event.lead_organisation_id
    ):
        raise Forbidden("Seul l'opérateur pilote retire un co-organisateur.")
    if organisation.pk == event.lead_organisation_id:
        raise DomainError("L'opérateur pilote ne peut pas être retiré.", code="invalid")
    EventOrganiser.objects.filter(event=event, organisation=organisation).delete()
    audit_log(actor=actor, action="events.organiser.removed", obj=event, organisation=organisation)


@transaction.atomic
def quota_set(*, actor, event, organisation, seats):
    """Reserve `seats` for the people `organisation` sends (0 removes the reservation)."""
    from maillage.events.services.registrations import _offer_freed_seats

    event = event_lock(event.pk)
    require_organiser(actor, event, managers_only=True)
    if seats < 0:
        raise DomainError("Le nombre de places ne peut pas être négatif.", field="seats")
    if event.capacity is None:
        raise DomainError(
            "Réserver des places n'a de sens que si l'évènement a une capacité.", field="seats"
        )
    others = sum(
        SeatQuota.objects.filter(event=event)
        .exclude(organisation=organisation)
        .values_list("seats", flat=True)
    )
    if others + seats > event.capacity:
        raise DomainError(
            f"Les places réservées dépasseraient la capacité ({event.capacity}).", field="seats"
        )
    quota = None
    if seats == 0:
        SeatQuota.objects.filter(event=event, organisation=organisation).delete()
    else:
        quota, _ = SeatQuota.objects.update_or_create(
            event=event, organisation=organisation, defaults={"seats": seats}
        )
    audit_log(
        actor=actor,
        action="events.quota.set",
        obj=event,
        organisation=organisation,
        data={"seats": seats},
    )
    _offer_freed_seats(event, actor=actor)
    return quota
