"""The governance state machines as data: meetings, decisions and actions, on the one engine."""

from maillage.core.workflow import Move, Workflow
from maillage.governance.enums import ActionStatus, DecisionStatus, MeetingStatus
from maillage.governance.models import (
    ActionUpdate,
    DecisionTransition,
    MeetingTransition,
)

# Capacities: "editor" = the chair or the secretariat of the committee; "updater" = an editor,
# the named owner of an action or a member seated for its owner organisation.
EDITOR = "editor"
UPDATER = "updater"
WHO_WORDS = {
    EDITOR: "la présidence ou le secrétariat du comité",
    UPDATER: "les responsables de l'action ou le secrétariat du comité",
}

MS = MeetingStatus
MEETING_WORKFLOW = Workflow(
    name="governance.meeting",
    states=MeetingStatus,
    moves={
        "held": Move([MS.SCHEDULED], MS.HELD, {EDITOR}, label="marquer comme tenue"),
        "cancel": Move([MS.SCHEDULED], MS.CANCELLED, {EDITOR}, label="annuler"),
    },
    log_model=MeetingTransition,
    log_owner="meeting",
    explanations={
        MS.HELD: "une réunion tenue ne peut pas passer à un autre état",
        MS.CANCELLED: "une réunion annulée ne peut pas passer à un autre état",
    },
    who_words=WHO_WORDS,
    noun="cette réunion",
)

DS = DecisionStatus
# A deferred decision comes back as a proposal; adopted and rejected are final. The actions are
# named by their target state: the register's form picks a state.
DECISION_WORKFLOW = Workflow(
    name="governance.decision",
    states=DecisionStatus,
    moves={
        DS.PROPOSED: Move([DS.DEFERRED], DS.PROPOSED, {EDITOR}, label="remettre en proposition"),
        DS.ADOPTED: Move([DS.PROPOSED, DS.DEFERRED], DS.ADOPTED, {EDITOR}, label="adopter"),
        DS.REJECTED: Move([DS.PROPOSED, DS.DEFERRED], DS.REJECTED, {EDITOR}, label="rejeter"),
        DS.DEFERRED: Move([DS.PROPOSED], DS.DEFERRED, {EDITOR}, label="reporter"),
    },
    log_model=DecisionTransition,
    log_owner="decision",
    explanations={
        DS.ADOPTED: "une décision adoptée est définitive",
        DS.REJECTED: "une décision rejetée est définitive",
        DS.DEFERRED: "elle est déjà reportée",
    },
    who_words=WHO_WORDS,
    noun="cette décision",
)

AS = ActionStatus
ACTION_WORKFLOW = Workflow(
    name="governance.action",
    states=ActionStatus,
    moves={
        # A closed action can be reopened when the committee finds it was closed too early.
        AS.OPEN: Move([AS.IN_PROGRESS, AS.DROPPED], AS.OPEN, {UPDATER}, label="rouvrir"),
        AS.IN_PROGRESS: Move(
            [AS.OPEN, AS.DONE], AS.IN_PROGRESS, {UPDATER}, label="passer en cours"
        ),
        AS.DONE: Move([AS.OPEN, AS.IN_PROGRESS], AS.DONE, {UPDATER}, label="terminer"),
        AS.DROPPED: Move([AS.OPEN, AS.IN_PROGRESS], AS.DROPPED, {UPDATER}, label="abandonner"),
    },
    log_model=ActionUpdate,
    log_owner="action",
    log_actor="author",
    explanations={
        AS.DONE: "une action terminée se rouvre d'abord « en cours »",
        AS.DROPPED: "une action abandonnée se rouvre d'abord « ouverte »",
    },
    who_words=WHO_WORDS,
    noun="cette action",
)
