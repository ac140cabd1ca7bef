"""Governance models: committees and members, conventions' lifecycle, meetings, decisions."""

from maillage.governance.enums import CommitteeKind
from maillage.governance.models.committees import Committee, CommitteeMember
from maillage.governance.models.conventions import (
    ConventionAmendment,
    ConventionEndAlert,
    ConventionPartyChange,
)
from maillage.governance.models.decisions import (
    Action,
    ActionReminder,
    ActionUpdate,
    Decision,
    DecisionTransition,
)
from maillage.governance.models.meetings import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingTransition,
    Minutes,
    MinutesItem,
    MinutesRevision,
)

__all__ = [
    "Action",
    "ActionReminder",
    "ActionUpdate",
    "AgendaItem",
    "Attendance",
    "Committee",
    "CommitteeKind",
    "CommitteeMember",
    "ConventionAmendment",
    "ConventionEndAlert",
    "ConventionPartyChange",
    "Decision",
    "DecisionTransition",
    "Meeting",
    "MeetingTransition",
    "Minutes",
    "MinutesItem",
    "MinutesRevision",
]
