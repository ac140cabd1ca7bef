"""State changes of a referral through `workflow.WORKFLOW`, plus assignment and messages."""

import contextlib

from django.db import transaction
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.models import Membership
from maillage.core.audit import audit_log
from maillage.core.errors import Conflict, DomainError, Forbidden
from maillage.core.french import date_fr, de
from maillage.referrals.enums import (
    ACTIVE_OUTCOMES,
    ACTIVE_REFUSAL_REASONS,
    REFUSAL_MESSAGES,
    TERMINAL,
    Action,
    Outcome,
    RefusalReason,
    Side,
    Status,
)
from maillage.referrals.models import Message, Referral
from maillage.referrals.notifications import notify
from maillage.referrals.selectors import referral_get
from maillage.referrals.webhooks import webhooks_dispatch
from maillage.referrals.workflow import USER_ACTIONS, WORKFLOW


def _check(referral, action, side):
    """The move, or the French reason it is refused (the engine's 403 and 409)."""
    if action not in USER_ACTIONS:
        raise DomainError("Cette action n'existe pas.", code="unknown_action", field="action")
    return WORKFLOW.check(referral, action, side)


def _move(referral, *, action, actor, side, now, reason="", message="", via=""):
    """The engine moves, stamps, logs and audits; the referral adds its webhooks."""
    fields = ["status_message"]
    if action == Action.ACCEPT and referral.received_at is None:
        # Accepting unread is also receiving it: the response delay starts from there.
        referral.received_at = now
        fields.append("received_at")
    referral.status_message = message
    transition = WORKFLOW.apply(
        referral,
        action,
        actor=actor,
        who=side,
        organisation=(
            referral.receiver_organisation if side != Side.SENDER else referral.sender_organisation
        ),
        now=now,
        fields=fields,
        log={
            "action": action,
            "side": side,
            "reason": reason,
            "message": message,
            "via": via,
            "created_at": now,
        },
        audit={"reason": reason, **({"via": via} if via else {})},
    )
    webhooks_dispatch(referral=referral, event="referral.status_changed", transition=transition)
    return transition


def _tell_other_side(referral, *, side, actor, text, key):
    other = Side.SENDER if side == Side.RECEIVER else Side.RECEIVER
    notify(
        referral=referral,
        side=other,
        subject=f"Orientation n° {referral.pk} : {Status(referral.status).label.lower()}",
        text=text,
        exclude=actor,
        key=key,
    )


@transaction.atomic
def referral_transition(
    *,
    actor,
    organisation,
    referral_id,
    action,
    reason="",
    message="",
    outcome="",
    first_appointment_on=None,
    to="",
    consent=None,
    now=None,
    via="",
):
    """Take `action` on a referral for `organisation`; the row is locked until commit, so of
    two people acting at once the second sees the first one's result and gets a clear 409."""
    now = now or timezone.now()
    referral = referral_get(organisation=organisation, referral_id=referral_id, for_update=True)
    side = referral.side_of(organisation)
    _check(referral, action, side)
    message = (message or "").strip()
    code = ""
    text = ""
    if action == Action.REFUSE:
        if reason not in ACTIVE_REFUSAL_REASONS:
            raise DomainError("Choisissez un motif de refus.", code="reason", field="reason")
        if reason == RefusalReason.OTHER and not message:
            raise DomainError(
                "Avec le motif « autre », expliquez le refus dans le message.", field="message"
            )
        # Without a message, the sender gets the standard wording of the reason.
        message = message or REFUSAL_MESSAGES.get(reason, "")
        referral.refusal_reason = reason
        referral.save(update_fields=["refusal_reason"])
        code = reason
        text = (
            f"{organisation.name} a refusé l'orientation n° {referral.pk} : "
            f"{RefusalReason(reason).label}. {message}"
        )
    elif action == Action.START:
        if first_appointment_on is None:
            raise DomainError(
                "Indiquez la date du premier rendez-vous.", field="first_appointment_on"
            )
        if first_appointment_on < timezone.localdate(referral.sent_at):
            raise DomainError(
                "Le premier rendez-vous ne peut pas précéder l'envoi de l'orientation.",
                field="first_appointment_on",
            )
        referral.first_appointment_on = first_appointment_on
        referral.save(update_fields=["first_appointment_on"])
        text = (
            f"Premier rendez-vous le {date_fr(first_appointment_on)} pour l'orientation "
            f"n° {referral.pk}."
        )
        if message:
            text += f" Message : {message}"
    elif action == Action.CLOSE:
        if outcome not in ACTIVE_OUTCOMES:
            raise DomainError("Choisissez le résultat de l'accompagnement.", field="outcome")
        referral.outcome = outcome
        referral.save(update_fields=["outcome"])
        code = outcome

        text = f"L'orientation n° {referral.pk} est clôturée : {Outcome(outcome).label}."
        if message:
            # What the receiver wrote on closing is what the sender wants to read.
            text += f" Message : {message}"
    elif action == Action.REDIRECT:
        return _redirect(
            referral,
            actor=actor,
            organisation=organisation,
            to=to,
            message=message,
            consent=consent,
            now=now,
        )
    transition = _move(
        referral,
        action=action,
        actor=actor,
        side=side,
        now=now,
        reason=code,
        message=message,
        via=via,
    )
    if not text:
        who = organisation.name
        text = f"{who} : orientation n° {referral.pk} {Status(referral.status).label.lower()}."
        if message:
            text += f" Message : {message}"
    # Received once is told once (a second reading never reports it again); any other
    # change is keyed by its own log row.
    key = "received" if action == Action.RECEIVE else f"transition:{transition.pk}"
    _tell_other_side(referral, side=side, actor=actor, text=text, key=key)
    return transition


def _redirect(referral, *, actor, organisation, to, message, consent, now):
    from maillage.referrals.services.send import consent_check, receiver_get, referral_send

    target = receiver_get(to, sender=organisation)
    if target.pk == referral.sender_organisation_id:
        raise DomainError(
            "Pour rendre la personne à l'opérateur qui l'a orientée, refusez l'orientation.",
            field="to",
        )
    operators = list(referral.consent_operators)
    method = referral.consent_method
    if target.slug not in operators:
        if not (consent or {}).get("given"):
            raise DomainError(
                f"Le consentement de la personne ne couvre pas {target.name} : recueillez-le "
                "avant de réorienter.",
                code="no_consent",
                field="consent.given",
            )
        method = consent_check(consent)
    if not message:
        raise DomainError("Expliquez la réorientation dans le message.", field="message")
    transition = _move(
        referral,
        action=Action.REDIRECT,
        actor=actor,
        side=Side.RECEIVER,
        now=now,
        reason=target.slug,
        message=message,
    )
    new = referral_send(
        actor=actor,
        organisation=organisation,
        to=target.slug,
        person={
            "first_name": referral.first_name,
            "last_name": referral.last_name,
            "birth_date": referral.birth_date,
            "email": referral.email,
            "phone": referral.phone,
        },
        profile=referral.profile,
        need=f"{referral.need}\n\nRéorientation par {organisation.name} : {message}",
        consent={"given": True, "method": method},
        preferred_contact=referral.preferred_contact,
        consent_operators=operators,
        redirected_from=referral,
        now=now,
    )
    _tell_other_side(
        referral,
        side=Side.RECEIVER,
        actor=actor,
        text=f"{organisation.name} a réorienté la personne vers {target.name}. {message}",
        key=f"transition:{transition.pk}",
    )
    transition.new_referral = new
    return transition


@transaction.atomic
def referral_expire(*, referral_id, now=None):
    """The worker's transition: not accepted within the receiving operator's delay."""
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("sender_organisation", "receiver_organisation")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not WORKFLOW.can(referral, Action.EXPIRE, Side.SYSTEM):
        return None  # already answered or expired: running twice changes nothing
    transition = _move(
        referral,
        action=Action.EXPIRE,
        actor=None,
        side=Side.SYSTEM,
        now=now,
        message="Sans réponse dans le délai de l'opérateur.",
    )
    for side in (Side.SENDER, Side.RECEIVER):
        notify(
            referral=referral,
            side=side,
            subject=f"Orientation n° {referral.pk} expirée",
            key="expired",
            text=(
                f"L'orientation n° {referral.pk} vers {referral.receiver_organisation.name} a "
                "expiré sans réponse dans le délai convenu."
            ),
        )
    return transition


@transaction.atomic
def referral_assign(*, actor, organisation, referral_id, assignee_id):
    referral = referral_get(organisation=organisation, referral_id=referral_id, for_update=True)
    if referral.side_of(organisation) != Side.RECEIVER:
        raise Forbidden(
            "Seul l'opérateur qui reçoit l'orientation la confie à un collègue.", code="wrong_side"
        )
    if referral.status in TERMINAL:
        raise Conflict(
            "Cette orientation est terminée : elle ne se confie plus.", code="wrong_state"
        )
    membership = (
        Membership.objects.active()
        .filter(
            organisation=organisation,
            user_id=assignee_id,
            role__in=(Role.COUNSELLOR, Role.MANAGER),
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise DomainError("Choisissez un membre actif de votre organisation.", field="assignee")
    referral.assigned_to = membership.user
    referral.save(update_fields=["assigned_to"])
    audit_log(
        actor=actor,
        action="referrals.referral.assigned",
        obj=referral,
        organisation=organisation,
        data={"assignee": membership.user_id},
    )
    if membership.user_id != actor.pk:
        notify(
            referral=referral,
            side=Side.RECEIVER,
            subject=f"Orientation n° {referral.pk} confiée",
            text=f"{actor} vous confie l'orientation n° {referral.pk}.",
            key=f"assigned:{membership.user_id}:{int(timezone.now().timestamp())}",
        )
    return referral


@transaction.atomic
def referral_message_post(*, actor, organisation, referral_id, body, internal=False):
    referral = referral_get(organisation=organisation, referral_id=referral_id, for_update=True)
    side = referral.side_of(organisation)
    body = (body or "").strip()
    if not body:
        raise DomainError("Le message est vide.", field="body")
    if referral.anonymised_at:
        raise Conflict("Cette orientation est anonymisée.", code="anonymised")
    message = Message.objects.create(
        referral=referral, organisation=organisation, author=actor, internal=internal, body=body
    )
    audit_log(
        actor=actor,
        action="referrals.note.added" if internal else "referrals.message.sent",
        obj=referral,
        organisation=organisation,
    )
    if not internal:
        _tell_other_side(
            referral,
            side=side,
            actor=actor,
            text=f"Nouveau message {de(organisation.name)} sur l'orientation n° {referral.pk} : "
            f"{body[:200]}",
            key=f"message:{message.pk}",
        )
    return message


@transaction.atomic
def referral_read(*, actor, organisation, referral, via="page"):
    """Audit the read of a referral's personal data; the receiver's first read receives it."""
    audit_log(
        actor=actor,
        action="referrals.referral.read",
        obj=referral,
        organisation=organisation,
        data={"via": via},
    )
    if referral.status == Status.SENT and referral.side_of(organisation) == Side.RECEIVER:
        # Someone else may have opened or answered it meanwhile: then nothing to do.
        with contextlib.suppress(Conflict):
            referral_transition(
                actor=actor,
                organisation=organisation,
                referral_id=referral.pk,
                action=Action.RECEIVE,
                via=via if via == "email_link" else "",
            )
        referral.refresh_from_db()
    return referral
