"""States, roles and kinds of the governance area (the transitions are in `workflow.py`)."""

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


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Terminée")
    DROPPED = "dropped", _("Abandonnée")


ACTION_OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Échéance proche")
    OVERDUE = "overdue", _("En retard")


class AmendmentKind(models.TextChoices):
    AMENDMENT = "amendment", _("Avenant")
    RENEWAL = "renewal", _("Reconduction")


class PartyChangeKind(models.TextChoices):
    JOINED = "joined", _("Adhésion")
    LEFT = "left", _("Retrait")
