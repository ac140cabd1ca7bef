"""The agenda of a meeting: pre-filled from the previous one, items added, edited, moved."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.errors import DomainError
from maillage.governance.enums import AgendaItemKind, DecisionStatus, MeetingStatus
from maillage.governance.models import Action, AgendaItem, Decision, Meeting
from maillage.governance.selectors import previous_meeting
from maillage.governance.services.common import require_editor
from maillage.training.enums import ResourceStatus


def _next_position(meeting, parent):
    last = AgendaItem.objects.filter(meeting=meeting, parent=parent).aggregate(m=Max("position"))
    return (last["m"] or 0) + 1


def agenda_prefill(meeting):
    """Start the agenda with the previous minutes, the open actions and the carried-over items."""
    previous = previous_meeting(meeting)
    position = 0
    created = 0
    if previous is not None:
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItemKind.MINUTES_APPROVAL,
            title=(
                "Approbation du compte rendu de la réunion du "
                f"{timezone.localtime(previous.starts_at):%d/%m/%Y}"
            ),
            minutes_meeting=previous,
            duration_minutes=5,
        )
        created += 1
    actions = list(
        Action.objects.open()
        .filter(committee=meeting.committee)
        .select_related("owner_organisation")
        .order_by("due_on", "id")
    )
    if actions:
        position += 1
        review = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItemKind.ACTIONS_REVIEW,
            title="Suivi des actions en cours et en retard",
            duration_minutes=min(5 * len(actions), 60),
        )
        created += 1
        # "En retard" as of the day the agenda is drawn up, not a forecast for the meeting day.
        day = timezone.localdate()
        sub_items = [
            AgendaItem(
                meeting=meeting,
                parent=review,
                position=index,
                kind=AgendaItemKind.ACTION,
                title=(
                    f"{action.title} ({action.owner_organisation.name}, échéance "
                    f"{action.due_on:%d/%m/%Y}, {action.progress} %)"
                    + (" — EN RETARD" if action.due_on < day else "")
                )[:300],
                action=action,
            )
            for index, action in enumerate(actions, start=1)
        ]
        AgendaItem.objects.bulk_create(sub_items, batch_size=500)
        created += len(sub_items)
    if previous is not None:
        for item in previous.agenda_items.filter(carry_over=True).order_by("parent_id", "position"):
            position += 1
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=AgendaItemKind.CARRIED_OVER,
                title=item.title,
                presenter=item.presenter,
                duration_minutes=item.duration_minutes,
                document_resource=item.document_resource,
                document_title=item.document_title,
                document_url=item.document_url,
                source_item=item,
            )
            created += 1
    deferred = Decision.objects.filter(
        committee=meeting.committee, status=DecisionStatus.DEFERRED
    ).order_by("year", "sequence")
    for decision in deferred:
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItemKind.CARRIED_OVER,
            title=f"Décision reportée {decision.reference} : {decision.title}",
            source_item=decision.agenda_item,
        )
        created += 1
    return created


def _clean_item(fields):
    title = (fields.get("title") or "").strip()
    if not title:
        raise DomainError("Donnez un intitulé au point.", field="title")
    duration = fields.get("duration_minutes")
    if duration is not None and not 0 < duration <= 480:
        raise DomainError("La durée d'un point va de 1 à 480 minutes.", field="duration_minutes")
    resource = fields.get("document_resource")
    if resource is not None and resource.status != ResourceStatus.PUBLISHED:
        raise DomainError(
            "Choisissez une ressource publiée de la bibliothèque.", field="document_resource"
        )
    cleaned = {
        "title": title,
        "presenter": (fields.get("presenter") or "").strip(),
        "duration_minutes": duration,
        "notes": (fields.get("notes") or "").strip(),
        "document_resource": resource,
        "carry_over": bool(fields.get("carry_over")),
    }
    # The former title-and-link document: kept as given when the caller sends it (older items,
    # the API); a library resource replaces it.
    for name in ("document_title", "document_url"):
        if name in fields:
            cleaned[name] = "" if resource is not None else (fields.get(name) or "").strip()
    return cleaned


def _editable_meeting(actor, membership, meeting):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editor(actor, membership, meeting.committee)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("Cette réunion est annulée : son ordre du jour est figé.")
    return meeting


@transaction.atomic
def agenda_item_add(*, actor, membership, meeting, parent=None, **fields):
    meeting = _editable_meeting(actor, membership, meeting)
    if parent is not None:
        if parent.meeting_id != meeting.pk:
            raise DomainError("Ce point parent n'appartient pas à la réunion.", field="parent")
        if parent.parent_id is not None:
            raise DomainError("Un sous-point ne peut pas avoir de sous-points.", field="parent")
    item = AgendaItem.objects.create(
        meeting=meeting,
        parent=parent,
        position=_next_position(meeting, parent),
        **_clean_item(fields),
    )
    audit_log(actor=actor, action="governance.agenda.item_added", obj=item)
    return item


@transaction.atomic
def agenda_item_edit(*, actor, membership, item, **fields):
    _editable_meeting(actor, membership, item.meeting)
    for name, value in _clean_item(fields).items():
        setattr(item, name, value)
    item.save()
    audit_log(actor=actor, action="governance.agenda.item_edited", obj=item)
    return item


@transaction.atomic
def agenda_item_delete(*, actor, membership, item):
    _editable_meeting(actor, membership, item.meeting)
    audit_log(actor=actor, action="governance.agenda.item_deleted", obj=item)
    siblings = AgendaItem.objects.filter(meeting=item.meeting, parent=item.parent).exclude(
        pk=item.pk
    )
    item.delete()
    for position, sibling in enumerate(siblings.order_by("position"), start=1):
        if sibling.position != position:
            AgendaItem.objects.filter(pk=sibling.pk).update(position=position)


@transaction.atomic
def agenda_item_move(*, actor, membership, item, direction):
    """Swap an item with its neighbour ("up" or "down") among its siblings."""
    _editable_meeting(actor, membership, item.meeting)
    siblings = AgendaItem.objects.filter(meeting=item.meeting, parent=item.parent)
    if direction == "up":
        neighbour = siblings.filter(position__lt=item.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=item.position).order_by("position").first()
    if neighbour is None:
        return item
    item.position, neighbour.position = neighbour.position, item.position
    AgendaItem.objects.filter(pk=item.pk).update(position=item.position)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=neighbour.position)
    return item
