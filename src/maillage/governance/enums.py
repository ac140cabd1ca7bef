"""States, roles and kinds of the governance area, with their allowed transitions declared once."""

from django.db import models


class CommitteeKind(models.TextChoices):
    STEERING = "steering", "Comité de pilotage"
    TECHNICAL = "technical", "Comité technique"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Présidence"
    SECRETARY = "secretary", "Secrétariat"
    MEMBER = "member", "Membre"
    GUEST = "guest", "Invité ou invitée"


# Roles that may schedule meetings, build agendas, write minutes, record decisions and actions.
EDITOR_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Programmée"
    HELD = "held", "Tenue"
    CANCELLED = "cancelled", "Annulée"


MEETING_TRANSITIONS = {
    MeetingStatus.SCHEDULED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}


class AgendaItemKind(models.TextChoices):
    REGULAR = "regular", "Point"
    MINUTES_APPROVAL = "minutes_approval", "Approbation du compte rendu"
    ACTIONS_REVIEW = "actions_review", "Suivi des actions"
    ACTION = "action", "Action à suivre"
    CARRIED_OVER = "carried_over", "Point reporté"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Présent ou présente"
    EXCUSED = "excused", "Excusé ou excusée"
    ABSENT = "absent", "Absent ou absente"
    REPRESENTED = "represented", "Représenté ou représentée"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Projet"
    APPROVED = "approved", "Approuvé"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    ADOPTED = "adopted", "Adoptée"
    REJECTED = "rejected", "Rejetée"
    DEFERRED = "deferred", "Reportée"


# A deferred decision comes back as a proposal; adopted and rejected are final.
DECISION_TRANSITIONS = {
    DecisionStatus.PROPOSED: {
        DecisionStatus.ADOPTED,
        DecisionStatus.REJECTED,
        DecisionStatus.DEFERRED,
    },
    DecisionStatus.DEFERRED: {
        DecisionStatus.PROPOSED,
        DecisionStatus.ADOPTED,
        DecisionStatus.REJECTED,
    },
    DecisionStatus.ADOPTED: set(),
    DecisionStatus.REJECTED: set(),
}


class ActionStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Terminée"
    DROPPED = "dropped", "Abandonnée"


ACTION_OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

ACTION_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED},
    # A closed action can be reopened when the committee finds it was closed too early.
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
    ActionStatus.DROPPED: {ActionStatus.OPEN},
}


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Échéance proche"
    OVERDUE = "overdue", "En retard"


class AmendmentKind(models.TextChoices):
    AMENDMENT = "amendment", "Avenant"
    RENEWAL = "renewal", "Reconduction"


class PartyChangeKind(models.TextChoices):
    JOINED = "joined", "Adhésion"
    LEFT = "left", "Retrait"
