"""The decisions register (numbered per committee and year) and the actions that follow."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.governance.enums import (
    ACTION_OPEN_STATUSES,
    ActionStatus,
    DecisionStatus,
    MeetingStatus,
)
from maillage.governance.models import (
    Action,
    ActionUpdate,
    Committee,
    CommitteeMember,
    Decision,
    DecisionTransition,
    Meeting,
)
from maillage.governance.selectors import committee_access
from maillage.governance.services.common import require_editor
from maillage.governance.workflow import ACTION_WORKFLOW, DECISION_WORKFLOW, EDITOR, UPDATER


def _require_held_for_adoption(status, meeting):
    """A decision is adopted at a meeting that took place, never ahead of it."""
    if status != DecisionStatus.ADOPTED or meeting is None:
        return
    # The stored state, not the caller's copy of the meeting (it may predate "tenue").
    if not Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.HELD).exists():
        raise DomainError(
            "Une décision ne peut être « adoptée » qu'une fois sa réunion tenue : marquez "
            "d'abord la réunion comme tenue, ou enregistrez la décision comme proposée.",
            code="meeting_not_held",
            field="status",
        )


def _next_sequence(committee, year):
    last = Decision.objects.filter(committee=committee, year=year).aggregate(m=Max("sequence"))
    return (last["m"] or 0) + 1


def decision_create(
    *,
    actor,
    membership,
    committee,
    title,
    text="",
    meeting=None,
    agenda_item=None,
    status=DecisionStatus.PROPOSED,
    decided_on=None,
):
    """Register a decision with the next number of its committee and year (`COPIL-2019-03`)."""
    require_editor(actor, membership, committee)
    title = (title or "").strip()
    if not title:
        raise DomainError("Donnez un intitulé à la décision.", field="title")
    if status not in DecisionStatus.values:
        raise DomainError("État de décision inconnu.", field="status")
    if meeting is not None and meeting.committee_id != committee.pk:
        raise DomainError("Cette réunion n'est pas une réunion du comité.", field="meeting")
    if agenda_item is not None and (meeting is None or agenda_item.meeting_id != meeting.pk):
        raise DomainError(
            "Ce point n'est pas à l'ordre du jour de la réunion.", field="agenda_item"
        )
    _require_held_for_adoption(status, meeting)
    if decided_on is None:
        decided_on = (
            timezone.localtime(meeting.starts_at).date() if meeting else timezone.localdate()
        )
    # The committee row lock serialises numbering; the unique constraint is the last guard,
    # and one retry covers a race with a writer that numbered without the lock.
    for attempt in range(2):
        try:
            return _decision_insert(
                actor, committee, title, text, meeting, agenda_item, status, decided_on
            )
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _decision_insert(actor, committee, title, text, meeting, agenda_item, status, decided_on):
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    year = decided_on.year
    sequence = _next_sequence(committee, year)
    with transaction.atomic():
        decision = Decision.objects.create(
            committee=committee,
            year=year,
            sequence=sequence,
            reference=f"{committee.code}-{year}-{sequence:02d}",
            title=title,
            text=(text or "").strip(),
            status=status,
            meeting=meeting,
            agenda_item=agenda_item,
            decided_on=decided_on,
            created_by=actor,
        )
    DecisionTransition.objects.create(
        decision=decision, from_status="", to_status=status, actor=actor
    )
    audit_log(
        actor=actor,
        action="governance.decision.created",
        obj=decision,
        data={"reference": decision.reference, "status": status},
    )
    return decision


@transaction.atomic
def decision_set_status(*, actor, membership, decision, status):
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    require_editor(actor, membership, decision.committee)
    if status == DecisionStatus.ADOPTED:
        DECISION_WORKFLOW.check(decision, status, EDITOR)
        _require_held_for_adoption(status, decision.meeting)
    DECISION_WORKFLOW.apply(
        decision,
        status,
        actor=actor,
        who=EDITOR,
        audit_action="governance.decision.status_changed",
    )
    return decision


# --- Actions ------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    actor,
    membership,
    committee,
    title,
    owner_organisation,
    due_on,
    description="",
    owner_user=None,
    decision=None,
    meeting=None,
    agenda_item=None,
):
    require_editor(actor, membership, committee)
    title = (title or "").strip()
    if not title:
        raise DomainError("Donnez un intitulé à l'action.", field="title")
    if owner_organisation is None:
        raise DomainError("Choisissez l'organisation responsable.", field="owner_organisation")
    if not isinstance(due_on, date):
        raise DomainError("Indiquez l'échéance.", field="due_on")
    if decision is not None and decision.committee_id != committee.pk:
        raise DomainError("Cette décision n'est pas du comité.", field="decision")
    if meeting is not None and meeting.committee_id != committee.pk:
        raise DomainError("Cette réunion n'est pas du comité.", field="meeting")
    if agenda_item is not None and (meeting is None or agenda_item.meeting_id != meeting.pk):
        raise DomainError(
            "Ce point n'est pas à l'ordre du jour de la réunion.", field="agenda_item"
        )
    if (
        owner_user is not None
        and not owner_user.memberships.filter(
            organisation=owner_organisation, is_active=True
        ).exists()
    ):
        raise DomainError(
            "La personne responsable doit être membre de l'organisation responsable.",
            field="owner_user",
        )
    action = Action.objects.create(
        committee=committee,
        title=title,
        description=(description or "").strip(),
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        due_on=due_on,
        decision=decision,
        meeting=meeting,
        agenda_item=agenda_item,
        created_by=actor,
    )
    ActionUpdate.objects.create(
        action=action,
        author=actor,
        from_status="",
        to_status=action.status,
        progress=0,
        note="Action créée.",
    )
    audit_log(
        actor=actor,
        action="governance.action.created",
        obj=action,
        organisation=owner_organisation,
        data={"due_on": due_on.isoformat(), "owner": owner_organisation.slug},
    )
    return action


def can_update_action(actor, membership, action):
    """Editors of the committee, the named owner, or a member seated for the owner organisation."""
    if committee_access(actor, membership, action.committee).can_edit:
        return True
    if action.owner_user_id and action.owner_user_id == getattr(actor, "pk", None):
        return True
    return (
        CommitteeMember.objects.current()
        .filter(committee=action.committee, user=actor, organisation=action.owner_organisation)
        .exists()
    )


@transaction.atomic
def action_update(*, actor, membership, action, status=None, progress=None, note="", due_on=None):
    """Post a progress update: a new line in the action's timeline, status per the table."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not can_update_action(actor, membership, action):
        raise Forbidden(
            "Seuls les responsables de l'action et le secrétariat du comité peuvent "
            "la mettre à jour."
        )
    current = ActionStatus(action.status)
    status = status or current
    if status != current:
        ACTION_WORKFLOW.check(action, status, UPDATER)
    if progress is None:
        progress = action.progress
    if not 0 <= progress <= 100:
        raise DomainError("L'avancement va de 0 à 100 %.", field="progress")
    if status == ActionStatus.DONE:
        progress = 100
    elif progress == 100 and status in ACTION_OPEN_STATUSES:
        raise DomainError(
            "Une action avancée à 100 % est terminée : choisissez l'état « Terminée ».",
            field="status",
        )
    note = (note or "").strip()
    changed_due = due_on is not None and due_on != action.due_on
    if status == current and progress == action.progress and not note and not changed_due:
        raise DomainError("Rien n'a changé : indiquez un avancement, un état ou une note.")
    if changed_due:
        if not committee_access(actor, membership, action.committee).can_edit:
            raise Forbidden("Seul le secrétariat du comité peut changer l'échéance.")
        note = (
            f"{note}\nÉchéance reportée du {action.due_on:%d/%m/%Y} au {due_on:%d/%m/%Y}.".strip()
        )
        action.due_on = due_on
    action.progress = progress
    if status in (ActionStatus.DONE, ActionStatus.DROPPED):
        action.closed_on = action.closed_on or timezone.localdate()
    else:
        action.closed_on = None
    fields = ["progress", "closed_on", "due_on"]
    audit = {"progress": progress}
    if status != current:
        # The timeline row is the workflow's log row; the audit keeps its historical name.
        ACTION_WORKFLOW.apply(
            action,
            status,
            actor=actor,
            who=UPDATER,
            organisation=action.owner_organisation,
            fields=fields,
            log={"progress": progress, "note": note},
            audit=audit,
            audit_action="governance.action.updated",
        )
        return action
    action.save(update_fields=fields)
    ActionUpdate.objects.create(
        action=action,
        author=actor,
        from_status=current,
        to_status=status,
        progress=progress,
        note=note,
    )
    audit_log(
        actor=actor,
        action="governance.action.updated",
        obj=action,
        organisation=action.owner_organisation,
        data={"from": current.value, "to": str(status), **audit},
    )
    return action
