"""The one state-machine engine: a declared table of moves, checked, applied, logged, audited.

Every area declares its table as data (`Workflow(moves={...})`) and asks the engine, never a
formula of its own: services call `apply`, templates and selectors call `can` / `available`,
CheckConstraints are built from the states enum, and `table()` gives the golden lines a test
pins literally.

A move is named by an action (`"accept"`, `"publish"`, or simply the target state's name where an
area has no verbs). `who` holds the capacities allowed to take it: a side of a referral, a role,
"owner", "system"… whatever the area's caller computes for the acting person.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from maillage.core.audit import audit_log
from maillage.core.batch import insert_row
from maillage.core.errors import Conflict, DomainError, Forbidden


@dataclass(frozen=True)
class Move:
    sources: tuple
    target: str
    who: frozenset
    # The timestamp field the move fills in on the object (besides the log row).
    stamp: str = ""
    # The French verb, for buttons and refusals ("accepter", "publier").
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "who", frozenset(self.who))


def _state(obj_or_state, state_field):
    if isinstance(obj_or_state, str):
        return obj_or_state
    return getattr(obj_or_state, state_field)


@dataclass(frozen=True)
class Workflow:
    # The audit prefix, e.g. "referrals.referral": entries read "referrals.referral.accepted".
    name: str
    states: type
    moves: Mapping
    log_model: type | None = None
    # The foreign key of the log row to the object ("referral", "event"…).
    log_owner: str = ""
    # The log row's field naming the person (some areas' logs say "author").
    log_actor: str = "actor"
    state_field: str = "status"
    # Why a move is refused from a given state, in words a person can act on.
    explanations: Mapping = field(default_factory=dict)
    # How to name each capacity in a refusal ("l'opérateur qui reçoit").
    who_words: Mapping = field(default_factory=dict)
    # What is refused, named for the person ("cette orientation").
    noun: str = "cet élément"
    # States an object may be created in (`start` logs its creation); empty: not logged.
    initial: tuple = ()

    # -- reading the table ------------------------------------------------------------------

    def move(self, action):
        try:
            return self.moves[action]
        except (KeyError, TypeError):
            raise DomainError(
                "Cette action n'existe pas.", code="unknown_action", field="action"
            ) from None

    def can(self, obj_or_state, action, who):
        """May `who` (one capacity or several) take `action` now?"""
        move = self.moves.get(action)
        if move is None:
            return False
        capacities = {who} if isinstance(who, str) else set(who or ())
        return bool(move.who & capacities) and (
            _state(obj_or_state, self.state_field) in move.sources
        )

    def available(self, obj_or_state, who, *, exclude: Iterable = ()):
        """The actions `who` may take now, in table order (drives the buttons on a page)."""
        excluded = set(exclude)
        return [
            action
            for action in self.moves
            if action not in excluded and self.can(obj_or_state, action, who)
        ]

    def targets(self, state):
        """Every state reachable in one move from `state`, whoever takes it."""
        return {move.target for move in self.moves.values() if state in move.sources}

    def table(self):
        """The table as sorted text lines, `source -action-> target [who]`, for golden tests."""
        lines = []
        for action, move in self.moves.items():
            who = ",".join(sorted(str(w) for w in move.who))
            for source in move.sources:
                lines.append(f"{source} -{action}-> {move.target} [{who}]")
        lines += [f"new -start-> {state}" for state in self.initial]
        return sorted(lines)

    def constraint(self, model_name):
        """A CheckConstraint that admits exactly the declared states, built from the enum."""
        return models.CheckConstraint(
            condition=models.Q(**{f"{self.state_field}__in": list(self.states.values)}),
            name=f"{model_name}_{self.state_field}_known",
            violation_error_message="État inconnu.",
        )

    # -- checking and applying --------------------------------------------------------------

    def _label(self, action, move):
        return move.label or str(getattr(self.states(move.target), "label", move.target)).lower()

    def check(self, obj, action, who):
        """The move, or the French reason it is refused (403 wrong capacity, 409 wrong state)."""
        move = self.move(action)
        capacities = {who} if isinstance(who, str) else set(who or ())
        if not move.who & capacities:
            allowed = (
                " ou ".join(sorted(str(self.who_words.get(w, w)) for w in move.who)) or "personne"
            )
            raise Forbidden(
                f"Seul {allowed} peut « {self._label(action, move)} » {self.noun}.",
                code="wrong_side",
            )
        state = _state(obj, self.state_field)
        if state not in move.sources:
            why = self.explanations.get(state)
            state_label = str(self.states(state).label).lower()
            raise Conflict(
                f"Impossible de « {self._label(action, move)} » {self.noun}"
                + (f" : {why}" if why else "")
                + f" (état : {state_label}).",
                code="wrong_state",
            )
        return move

    def apply(
        self,
        obj,
        action,
        *,
        actor,
        who,
        organisation=None,
        now=None,
        fields=(),
        log=None,
        audit=None,
        audit_action=None,
    ):
        """Check, move to the target, fill the stamp, save, write the log row and the audit
        entry. The caller holds the row lock (`select_for_update`) and the transaction.

        `fields` are extra fields the caller changed on `obj` to save with the move; `log` extra
        values for the log row; `audit` extra data for the audit entry; `audit_action` the
        entry's name where an area keeps its historical one (default `<name>.<target>`).
        Returns the log row (or None when the area keeps no log table; its id is None when
        written inside `core.batch.rows_in_one_round_trip`).
        """
        move = self.check(obj, action, who)
        now = now or timezone.now()
        before = getattr(obj, self.state_field)
        setattr(obj, self.state_field, move.target)
        update = [self.state_field, *fields]
        if move.stamp:
            setattr(obj, move.stamp, now)
            update.append(move.stamp)
        obj.save(update_fields=list(dict.fromkeys(update)))
        row = None
        if self.log_model is not None:
            person = actor if getattr(actor, "is_authenticated", False) else None
            row = insert_row(
                self.log_model(
                    **{self.log_owner: obj},
                    from_status=before,
                    to_status=move.target,
                    **{self.log_actor: person},
                    **(log or {}),
                )
            )
        audit_log(
            actor=actor,
            action=audit_action or f"{self.name}.{move.target}",
            obj=obj,
            organisation=organisation,
            data={"from": before, "to": move.target, **(audit or {})},
        )
        return row

    def start(self, obj, *, actor, organisation=None, log=None, audit=None):
        """Log the creation of `obj` (already saved) in one of the `initial` states: the log
        row from "" and the audit entry `<name>.<state>`, as `apply` does for a move."""
        state = getattr(obj, self.state_field)
        if state not in self.initial:
            raise Conflict(f"{self.noun.capitalize()} ne peut pas naître dans cet état.")
        row = None
        if self.log_model is not None:
            row = insert_row(
                self.log_model(
                    **{self.log_owner: obj},
                    from_status="",
                    to_status=state,
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    **(log or {}),
                )
            )
        audit_log(
            actor=actor,
            action=f"{self.name}.{state}",
            obj=obj,
            organisation=organisation,
            data={"from": "", "to": state, **(audit or {})},
        )
        return row
