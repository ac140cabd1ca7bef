"""API routes of the referrals area: send, list, read, and move a referral through its workflow.

Schemas are lenient on purpose (missing fields default to empty): the service gives the French
message of what is missing, with the field, as a 422 — the same words as on the pages.
"""

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from ninja import Field, Router, Schema, Status

from maillage.api.auth import token_auth
from maillage.core.errors import DomainError, PermissionDenied
from maillage.referrals import selectors, services
from maillage.referrals.enums import Status as ReferralStatus
from maillage.referrals.workflow import USER_ACTIONS

router = Router(tags=["orientations"], auth=token_auth)


class PersonIn(Schema):
    first_name: str = ""
    last_name: str = ""
    birth_date: dt.date | None = None
    email: str = ""
    phone: str = ""


class ConsentIn(Schema):
    given: bool = False
    method: str = ""


class ReferralIn(Schema):
    person: PersonIn = Field(default_factory=PersonIn)
    profile: dict[str, Any] = Field(default_factory=dict)
    to: str = ""
    need: str = ""
    consent: ConsentIn | None = None
    preferred_contact: str = ""
    consent_operators: list[str] = Field(default_factory=list)
    duplicate_reason: str = ""


class TransitionIn(Schema):
    action: str
    reason: str = ""
    message: str = ""
    outcome: str = ""
    first_appointment_on: dt.date | None = None
    to: str = ""
    consent: ConsentIn | None = None


class ErrorOut(Schema):
    detail: str
    code: str | None = None
    errors: list[dict] | None = None


class SummaryOut(Schema):
    id: int
    status: str
    from_: str = Field(alias="from")
    to: str
    sent_at: dt.datetime


class StepOut(Schema):
    action: str
    from_status: str
    to_status: str
    side: str
    reason: str
    message: str
    at: dt.datetime


class ReferralOut(SummaryOut):
    person: dict
    need: str
    profile: dict
    decision: dict
    free_choice: bool
    consent: dict
    assigned_to: str | None
    first_appointment_on: dt.date | None
    refusal_reason: str
    outcome: str
    redirected_from: int | None
    history: list[StepOut]
    messages: list[dict]


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SummaryOut]


class TransitionOut(Schema):
    id: int
    status: str
    new_referral: int | None = None


def _summary(r):
    return {
        "id": r.pk,
        "status": r.status,
        "from": r.sender_organisation.slug,
        "to": r.receiver_organisation.slug,
        "sent_at": r.sent_at,
    }


@router.post(
    "/referrals",
    response={201: SummaryOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    by_alias=True,
    summary="Orienter une personne",
)
def referral_create(request, payload: ReferralIn):
    referral = services.referral_send(
        actor=request.user,
        organisation=request.organisation,
        to=payload.to,
        person=payload.person.dict(),
        profile=payload.profile,
        need=payload.need,
        consent=payload.consent.dict() if payload.consent else None,
        preferred_contact=payload.preferred_contact,
        consent_operators=payload.consent_operators,
        duplicate_reason=payload.duplicate_reason,
    )
    return Status(201, _summary(referral))


@router.get(
    "/referrals",
    response={200: PageOut, 403: ErrorOut, 422: ErrorOut},
    by_alias=True,
    summary="Orientations reçues ou envoyées",
)
def referral_list(
    request, box: str = "received", status: str = "", page: int = 1, page_size: int = 50
):
    if box not in ("received", "sent", "all"):
        raise DomainError("La boîte est « received », « sent » ou « all ».", field="box")
    if box == "all" and request.membership.role != "manager":
        raise PermissionDenied("Seuls les responsables voient toutes les orientations.")
    if status and status not in ReferralStatus.values:
        raise DomainError("Cet état n'existe pas.", field="status")
    page_size = max(1, min(page_size, 200))
    queryset = selectors.inbox(organisation=request.organisation, box=box, status=status or None)
    paginator = Paginator(queryset, page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_summary(r) for r in current],
    }


def _detail(request, referral):
    organisation = request.organisation
    return {
        **_summary(referral),
        "person": {
            "first_name": referral.first_name,
            "last_name": referral.last_name,
            "birth_date": referral.birth_date.isoformat() if referral.birth_date else None,
            "email": referral.email,
            "phone": referral.phone,
            "preferred_contact": referral.preferred_contact,
        },
        "need": referral.need,
        "profile": referral.profile,
        "decision": referral.decision,
        "free_choice": referral.free_choice,
        "consent": {
            "method": referral.consent_method,
            "given_at": referral.consent_given_at.isoformat(),
            "operators": referral.consent_operators,
        },
        "assigned_to": str(referral.assigned_to) if referral.assigned_to else None,
        "first_appointment_on": referral.first_appointment_on,
        "refusal_reason": referral.refusal_reason,
        "outcome": referral.outcome,
        "redirected_from": referral.redirected_from_id,
        "history": [
            {
                "action": t.action,
                "from_status": t.from_status,
                "to_status": t.to_status,
                "side": t.side,
                "reason": t.reason,
                "message": t.message,
                "at": t.created_at,
            }
            for t in selectors.history_of(referral)
        ],
        "messages": [
            {
                "organisation": m.organisation.slug,
                "internal": m.internal,
                "body": m.body,
                "at": m.created_at.isoformat(),
            }
            for m in selectors.messages_of(referral, organisation=organisation)
        ],
    }


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, 404: ErrorOut},
    by_alias=True,
    summary="Une orientation et son historique",
)
def referral_detail(request, referral_id: int):
    referral = selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    # A GET stays safe: it audits the read but never changes the state (use `receive`).
    from maillage.core.audit import audit_log

    audit_log(
        actor=request.user,
        action="referrals.referral.read",
        obj=referral,
        organisation=request.organisation,
        data={"via": "api"},
    )
    return _detail(request, referral)


@router.post(
    "/referrals/{referral_id}/transitions",
    response={200: TransitionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Faire avancer une orientation",
    description="Actions : " + ", ".join(str(a) for a in USER_ACTIONS) + ".",
)
def referral_transition(request, referral_id: int, payload: TransitionIn):
    # Visibility first: 404 for what this organisation may not see, whatever the action.
    selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    if payload.action not in USER_ACTIONS:
        raise DomainError(
            "Action inconnue : " + ", ".join(str(a) for a in USER_ACTIONS) + ".",
            code="unknown_action",
            field="action",
        )
    transition = services.referral_transition(
        actor=request.user,
        organisation=request.organisation,
        referral_id=referral_id,
        action=payload.action,
        reason=payload.reason,
        message=payload.message,
        outcome=payload.outcome,
        first_appointment_on=payload.first_appointment_on,
        to=payload.to,
        consent=payload.consent.dict() if payload.consent else None,
    )
    new = getattr(transition, "new_referral", None)
    return {
        "id": referral_id,
        "status": transition.to_status,
        "new_referral": new.pk if new else None,
    }
