"""API routes of the routing area: decisions (public) and the rules in force (public)."""

import datetime
import json
from typing import Annotated

from ninja import Field, Router, Schema, Status

from maillage.api.errors import error_body, responses
from maillage.api.pagination import paginated
from maillage.api.throttling import decision_throttle
from maillage.api.types import Day, InSchema, choice
from maillage.core.errors import DomainError
from maillage.core.parsing import date_parse
from maillage.routing import engine, ruleset, selectors, services
from maillage.routing.enums import Channel, RuleKind
from maillage.routing.profile import (
    AGE_MAX,
    AGE_MIN,
    EMPLOYER_GROUP_RE,
    IDCC_RE,
    STATUSES,
    ProfileError,
)

router = Router(tags=["aiguillage"])


class DecisionIn(InSchema):
    """Documentation of the body; validation is Profile.from_dict, shared with the CLI."""

    # As the profile reads it: surrounding spaces ignored, « 2a » read as « 2A ».
    department: str = Field(pattern=r"^\s*(0[1-9]|[1-8][0-9]|9[0-5]|2[AaBb]|97[1-6])\s*$")
    status: choice(STATUSES)
    age: int | None = Field(None, ge=AGE_MIN, le=AGE_MAX)
    # null means "not said", read as false (as the CLI and the page do).
    disability: bool | None = False
    cadre: bool | None = False
    temp_worker: bool | None = False
    # An empty text means "not given", as on the page and in the CLI.
    employer_group: str | None = Field(None, pattern=f"^$|{EMPLOYER_GROUP_RE.pattern}")
    # The CLI and the API accept the agreement's number as text ("1486") or as a number.
    idcc: (
        Annotated[str, Field(pattern=f"^$|{IDCC_RE.pattern}")]
        | Annotated[int, Field(ge=0, le=9999)]
        | None
    ) = None
    date: Day | None = None


class RoutingDecisionOut(Schema):
    primary: str
    alternatives: list[str]
    rule: str
    explanation: str


class RuleOut(Schema):
    id: str
    order: int
    kind: choice(RuleKind)
    target: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    conditions: str
    explanation: str


_BODY_SCHEMA = DecisionIn.model_json_schema()
_BODY_SCHEMA["additionalProperties"] = False


def _invalid(errors):
    return Status(
        422,
        error_body(
            "Profil invalide.",
            "invalid_profile",
            [{"field": field, "message": message} for field, message in errors],
        ),
    )


@router.post(
    "/routing/decisions",
    response=responses(RoutingDecisionOut, auth=False, throttled=True),
    auth=None,
    throttle=decision_throttle,
    summary="Opérateur suggéré pour un profil",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _BODY_SCHEMA}},
        }
    },
)
def decision_create(request):
    """Same answer as `maillage route`: primary, alternatives, rule id, French explanation."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return _invalid([("__all__", "Le corps de la requête doit être un objet JSON.")])
    if not isinstance(data, dict):
        return _invalid([("__all__", "Le corps de la requête doit être un objet JSON.")])
    data = dict(data)
    raw_day = data.pop("date", None)
    errors = []
    on = None
    if raw_day is not None:
        try:
            if not isinstance(raw_day, str) or not raw_day:
                raise DomainError("", field="date")
            on = date_parse(raw_day, field="date")
        except DomainError:
            errors.append(("date", "Date : attendue au format AAAA-MM-JJ, entre 1900 et 2100."))
    try:
        decision = engine.decide(data, on)
    except ProfileError as exc:
        return _invalid(exc.errors + errors)
    if errors:
        return _invalid(errors)
    services.decision_count_add(decision=decision, channel=Channel.API)
    return Status(200, decision.as_dict())


@router.get("/routing/rules", response=responses(list[RuleOut], auth=False), auth=None)
@paginated
def rules_list(request, date: Day | None = None):
    """The rules in force on `date` (default: today), in the order they are tried."""
    on = date or engine.today()
    compiled = engine.current()
    snapshot = compiled.snapshot
    return [
        {
            "id": rule["id"],
            "order": rule["order"],
            "kind": rule["kind"],
            "target": rule["target"],
            "valid_from": rule["valid_from"],
            "valid_until": rule["valid_until"],
            "conditions": ruleset.describe_rule(rule, snapshot),
            "explanation": ruleset.explain(
                rule["explanation"], compiled.name_on(rule["target"], on)
            ),
        }
        for rule in selectors.rules_in_force(snapshot, on)
    ]
