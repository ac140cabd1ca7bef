"""States, roles and kinds of the governance area (the transitions are in `workflow.py`)."""

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


class ActionStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Terminée"
    DROPPED = "dropped", "Abandonnée"


ACTION_OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Échéance proche"
    OVERDUE = "overdue", "En retard"


class AmendmentKind(models.TextChoices):
    AMENDMENT = "amendment", "Avenant"
    RENEWAL = "renewal", "Reconduction"


class PartyChangeKind(models.TextChoices):
    JOINED = "joined", "Adhésion"
    LEFT = "left", "Retrait"
