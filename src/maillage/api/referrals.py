"""API routes of the referrals area: send, list, read, and move a referral through its workflow.

Schemas are lenient on purpose (missing fields default to empty): the service gives the French
message of what is missing, with the field, as a 422 — the same words as on the pages.
"""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from maillage.api.auth import permitted, token_auth
from maillage.api.errors import responses
from maillage.api.pagination import Mapped, paginated
from maillage.api.types import Day, Id, InSchema, choice
from maillage.core.errors import DomainError
from maillage.referrals import selectors, services
from maillage.referrals.enums import Side
from maillage.referrals.enums import Status as ReferralStatus
from maillage.referrals.workflow import USER_ACTIONS

router = Router(tags=["orientations"], auth=token_auth)


class PersonIn(InSchema):
    first_name: str = ""
    last_name: str = ""
    birth_date: Day | None = None
    email: str = ""
    phone: str = ""


class ConsentIn(InSchema):
    given: bool = False
    method: str = ""


class ReferralIn(InSchema):
    person: PersonIn = Field(default_factory=PersonIn)
    profile: dict[str, Any] = Field(default_factory=dict)
    to: str = ""
    need: str = ""
    consent: ConsentIn | None = None
    preferred_contact: str = ""
    consent_operators: list[str] = Field(default_factory=list)
    duplicate_reason: str = ""
    contact_person: bool = Field(
        True,
        description="Prévenir la personne (e-mail ou SMS, avec son lien personnel) ; "
        "false demande une raison dans no_contact_reason.",
    )
    no_contact_reason: str = Field("", max_length=500)
    offer: int | None = Field(
        None, description="Une offre de service de l'opérateur destinataire (son identifiant)."
    )


class TransitionIn(InSchema):
    action: choice(USER_ACTIONS)
    reason: str = ""
    message: str = ""
    outcome: str = ""
    first_appointment_on: Day | None = None
    to: str = ""
    consent: ConsentIn | None = None


class SummaryOut(Schema):
    id: int
    status: choice(ReferralStatus)
    from_: str = Field(alias="from")
    to: str
    sent_at: dt.datetime


class StepOut(Schema):
    action: str
    from_status: str
    to_status: choice(ReferralStatus)
    side: choice(Side)
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
    previous: int | None = None
    offer: dict | None = None
    attachments: list[dict] = []
    history: list[StepOut]
    messages: list[dict]


class TransitionOut(Schema):
    id: int
    status: choice(ReferralStatus)
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
    response=responses({201: SummaryOut}, statuses=[403, 409]),
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
        contact_person=payload.contact_person,
        no_contact_reason=payload.no_contact_reason,
        offer=payload.offer,
    )
    return Status(201, _summary(referral))


@router.get(
    "/referrals",
    response=responses(list[SummaryOut], statuses=[403]),
    by_alias=True,
    summary="Orientations reçues ou envoyées",
)
@permitted(
    lambda membership, box="received", **params: box in selectors.boxes_for(membership),
    message="Seuls les responsables voient toutes les orientations.",
)
@paginated
def referral_list(
    request,
    box: Literal["received", "sent", "all"] = "received",
    status: choice(ReferralStatus) | None = None,
):
    queryset = selectors.inbox(organisation=request.organisation, box=box, status=status)
    return Mapped(queryset, _summary)


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
        "previous": referral.previous_id,
        "offer": (
            {"id": referral.offer.pk, "title": referral.offer.title} if referral.offer else None
        ),
        "attachments": [
            {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
            for a in ([] if referral.anonymised_at else selectors.attachments_of(referral))
        ],
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
    response=responses(ReferralOut, statuses=[404]),
    by_alias=True,
    summary="Une orientation et son historique",
)
def referral_detail(request, referral_id: Id):
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
    response=responses(TransitionOut, statuses=[403, 404, 409]),
    summary="Faire avancer une orientation",
    description="Actions : " + ", ".join(str(a) for a in USER_ACTIONS) + ".",
)
def referral_transition(request, referral_id: Id, payload: TransitionIn):
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
