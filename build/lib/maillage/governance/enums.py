"""States, roles and kinds of the governance area, with their allowed transitions declared once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    STEERING = "steering", _("Comité de pilotage")
    TECHNICAL = "technical", _("Comité technique")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Présidence")
    SECRETARY = "secretary", _("Secrétariat")
    MEMBER = "member", _("Membre")
    GUEST = "guest", _("Invité ou invitée")


# Roles that may schedule meetings, build agendas, write minutes, record decisions and actions.
EDITOR_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programmée")
    HELD = "held", _("Tenue")
    CANCELLED = "cancelled", _("Annulée")


MEETING_TRANSITIONS = {
    MeetingStatus.SCHEDULED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}


class AgendaItemKind(models.TextChoices):
    REGULAR = "regular", _("Point")
    MINUTES_APPROVAL = "minutes_approval", _("Approbation du compte rendu")
    ACTIONS_REVIEW = "actions_review", _("Suivi des actions")
    ACTION = "action", _("Action à suivre")
    CARRIED_OVER = "carried_over", _("Point reporté")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent ou présente")
    EXCUSED = "excused", _("Excusé ou excusée")
    ABSENT = "absent", _("Absent ou absente")
    REPRESENTED = "represented", _("Représenté ou représentée")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Projet")
    APPROVED = "approved", _("Approuvé")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée")
    ADOPTED = "adopted", _("Adoptée")
    REJECTED = "rejected", _("Rejetée")
    DEFERRED = "deferred", _("Reportée")


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
    OPEN = "open", _("Ouverte")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Terminée")
    DROPPED = "dropped", _("Abandonnée")


ACTION_OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

ACTION_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED},
    # A closed action can be reopened when the committee finds it was closed too early.
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
    ActionStatus.DROPPED: {ActionStatus.OPEN},
}


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Échéance proche")
    OVERDUE = "overdue", _("En retard")


class AmendmentKind(models.TextChoices):
    AMENDMENT = "amendment", _("Avenant")
    RENEWAL = "renewal", _("Reconduction")


class PartyChangeKind(models.TextChoices):
    JOINED = "joined", _("Adhésion")
    LEFT = "left", _("Retrait")
