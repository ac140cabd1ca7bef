"""The shared library's state machine as data, on the one engine (`core/workflow.py`)."""

from maillage.core.workflow import Move, Workflow
from maillage.training.enums import ResourceStatus
from maillage.training.models import ResourceTransition

# Capacities: "owner" = a member of the owner operator, "coordinator" = a coordinator of the
# partnership.
OWNER = "owner"
COORDINATOR = "coordinator"
SYSTEM = "system"
BOTH = {OWNER, COORDINATOR}

RESOURCE_WORKFLOW = Workflow(
    name="training.resource",
    states=ResourceStatus,
    moves={
        "submit": Move(
            [ResourceStatus.DRAFT], ResourceStatus.SUBMITTED, BOTH, label="Soumettre à validation"
        ),
        "return_to_draft": Move(
            [ResourceStatus.SUBMITTED], ResourceStatus.DRAFT, BOTH, label="Renvoyer en brouillon"
        ),
        "publish": Move(
            [ResourceStatus.SUBMITTED],
            ResourceStatus.PUBLISHED,
            {COORDINATOR},
            stamp="published_at",
            label="Valider et publier",
        ),
        # An edit widening the audience of a published resource asks for validation again.
        "revalidate": Move(
            [ResourceStatus.PUBLISHED],
            ResourceStatus.SUBMITTED,
            {SYSTEM},
            label="renvoyer à la validation",
        ),
        "archive": Move(
            [ResourceStatus.PUBLISHED, ResourceStatus.DRAFT],
            ResourceStatus.ARCHIVED,
            BOTH,
            label="Archiver",
        ),
        "restore": Move(
            [ResourceStatus.ARCHIVED], ResourceStatus.DRAFT, BOTH, label="Remettre en brouillon"
        ),
    },
    log_model=ResourceTransition,
    log_owner="resource",
    explanations={
        ResourceStatus.DRAFT: "un brouillon ne peut pas passer directement à cet état ; "
        "soumettez-le d'abord à validation",
        ResourceStatus.SUBMITTED: "une ressource soumise ne peut pas passer à cet état ; "
        "validez-la ou renvoyez-la en brouillon",
        ResourceStatus.PUBLISHED: "une ressource publiée ne peut pas passer à cet état ; "
        "archivez-la",
        ResourceStatus.ARCHIVED: "une ressource archivée ne peut pas passer à cet état ; "
        "remettez-la d'abord en brouillon",
    },
    who_words={
        OWNER: "l'opérateur auteur de la ressource",
        COORDINATOR: "la coordination du partenariat",
        SYSTEM: "l'application",
    },
    noun="cette ressource",
)


def action_to(state, target):
    """The person's move that takes a resource from `state` to `target` (pages post a target):
    the one from this state if any, else any move to that target (refused with its reason)."""
    moves = [
        (action, move)
        for action, move in RESOURCE_WORKFLOW.moves.items()
        if move.target == target and move.who & BOTH
    ]
    for action, move in moves:
        if state in move.sources:
            return action
    return moves[0][0] if moves else None
