"""API routes of the routing area: decisions (public) and the rules in force (public)."""

import contextlib
import datetime
import json

from ninja import Router, Schema, Status

from maillage.routing import engine, ruleset, selectors, services
from maillage.routing.enums import Channel
from maillage.routing.profile import STATUSES, ProfileError

router = Router(tags=["aiguillage"])


class DecisionIn(Schema):
    """Documentation of the body; validation is Profile.from_dict, shared with the CLI."""

    department: str
    status: str
    age: int | None = None
    disability: bool = False
    cadre: bool = False
    temp_worker: bool = False
    employer_group: str | None = None
    idcc: str | None = None
    date: datetime.date | None = None


class DecisionOut(Schema):
    primary: str
    alternatives: list[str]
    rule: str
    explanation: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []


class RuleOut(Schema):
    id: str
    order: int
    kind: str
    target: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    conditions: str
    explanation: str


_BODY_SCHEMA = DecisionIn.model_json_schema()
_BODY_SCHEMA["properties"]["status"]["enum"] = list(STATUSES)
_BODY_SCHEMA["additionalProperties"] = False


def _invalid(errors):
    return Status(
        422,
        {
            "detail": "Profil invalide.",
            "errors": [{"field": field, "message": message} for field, message in errors],
        },
    )


@router.post(
    "/routing/decisions",
    response={200: DecisionOut, 422: ErrorOut},
    auth=None,
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
        with contextlib.suppress(ValueError):
            on = datetime.date.fromisoformat(raw_day) if isinstance(raw_day, str) else None
        if on is None:
            errors.append(("date", "Date : attendue au format AAAA-MM-JJ."))
    try:
        decision = engine.decide(data, on)
    except ProfileError as exc:
        return _invalid(exc.errors + errors)
    if errors:
        return _invalid(errors)
    services.decision_count_add(decision=decision, channel=Channel.API)
    return Status(200, decision.as_dict())


@router.get("/routing/rules", response={200: list[RuleOut], 422: ErrorOut}, auth=None)
def rules_list(request, date: str | None = None):
    """The rules in force on `date` (default: today), in the order they are tried."""
    on = engine.today()
    if date:
        try:
            on = datetime.date.fromisoformat(date)
        except ValueError:
            return _invalid([("date", "Date : attendue au format AAAA-MM-JJ.")])
    snapshot = engine.current().snapshot
    return Status(
        200,
        [
            {
                "id": rule["id"],
                "order": rule["order"],
                "kind": rule["kind"],
                "target": rule["target"],
                "valid_from": rule["valid_from"],
                "valid_until": rule["valid_until"],
                "conditions": ruleset.describe_rule(rule, snapshot),
                "explanation": rule["explanation"],
            }
            for rule in selectors.rules_in_force(snapshot, on)
        ],
    )
