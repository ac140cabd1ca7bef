"""One referral: the person, the routing kept, the history, messages, and the actions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.core.parsing import id_parse
from maillage.referrals import links, selectors, services
from maillage.referrals.enums import (
    REFOCUS_STATES,
    REFUSAL_MESSAGES,
    TERMINAL,
    Action,
    Side,
    Status,
)
from maillage.referrals.forms import CloseForm, RefuseForm, StartForm, receivers
from maillage.referrals.views.inbox import counsellor_choices
from maillage.referrals.workflow import actions_available

ROLES = (Role.COUNSELLOR, Role.MANAGER)


def _context(request, referral):
    organisation = request.organisation
    side = referral.side_of(organisation)
    context = {
        "referral": referral,
        "side": side,
        "is_receiver": side == Side.RECEIVER,
        "history": selectors.history_of(referral),
        "thread": selectors.messages_of(referral, organisation=organisation),
        "actions": actions_available(referral.status, side),
        "refuse_form": RefuseForm(),
        "refusal_messages": {k.value: v for k, v in REFUSAL_MESSAGES.items()},
        "close_form": CloseForm(),
        "start_form": StartForm(),
        "redirect_targets": receivers().exclude(
            pk__in=[referral.sender_organisation_id, referral.receiver_organisation_id]
        ),
        "is_manager": request.membership.role == Role.MANAGER,
        "redirections": list(referral.redirections.select_related("receiver_organisation"))
        if side == Side.RECEIVER
        else [],
        # The same rule as `referral_assign`: an ended referral is no longer handed over.
        "can_assign": referral.status not in TERMINAL,
        "attachments": [] if referral.anonymised_at else selectors.attachments_of(referral),
        # Both sides see where the person went next (the new receiver's name, the number).
        "next_referrals": list(referral.next_referrals.select_related("receiver_organisation")),
        "can_refocus": side == Side.SENDER
        and referral.status in REFOCUS_STATES
        and not referral.anonymised_at,
    }
    if context["can_refocus"]:
        context["refocus_targets"] = receivers().exclude(
            pk__in=[referral.sender_organisation_id, referral.receiver_organisation_id]
        )
    if side == Side.RECEIVER:
        context["colleagues"] = counsellor_choices(organisation)
    context.update(links.timeline_extras(referral, organisation=organisation))
    return context


def _render(request, referral, *, error=None, status=200):
    if error:
        messages.error(request, error)
    return render(request, "referrals/detail.html", _context(request, referral), status=status)


@membership_required(*ROLES)
def detail(request, referral_id):
    referral = selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    services.referral_read(actor=request.user, organisation=request.organisation, referral=referral)
    return _render(request, referral)


def _after_error(request, referral_id, exc):
    referral = selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    status = exc.status_code if exc.status_code in (403, 409) else 400
    return _render(request, referral, error=exc.message, status=status)


@require_POST
@membership_required(*ROLES)
def transition(request, referral_id):
    data = request.POST
    # Existence and visibility first: another organisation gets a 404 whatever it posts.
    selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    action = data.get("action", "")
    form = StartForm(data) if action == Action.START else None
    try:
        first_appointment_on = None
        if form is not None:
            if not form.is_valid():
                raise DomainError(
                    "Indiquez une date de premier rendez-vous valide.",
                    field="first_appointment_on",
                )
            first_appointment_on = form.cleaned_data["first_appointment_on"]
        consent = None
        if data.get("consent_given"):
            consent = {"given": True, "method": data.get("consent_method", "")}
        done = services.referral_transition(
            actor=request.user,
            organisation=request.organisation,
            referral_id=referral_id,
            action=action,
            reason=data.get("reason", ""),
            message=data.get("message", ""),
            outcome=data.get("outcome", ""),
            first_appointment_on=first_appointment_on,
            to=data.get("to", ""),
            consent=consent,
        )
    except DomainError as exc:
        return _after_error(request, referral_id, exc)
    messages.success(request, f"Orientation {Status(done.to_status).label.lower()}.")
    return redirect("referrals:detail", referral_id)


def _assignee_id(value):
    """Empty: nobody in particular; anything but an id is refused in French (never a 500)."""
    try:
        return id_parse(value, field="assignee", required=False)
    except DomainError:
        raise DomainError(
            "Choisissez une personne de votre organisation dans la liste.", field="assignee"
        ) from None


@require_POST
@membership_required(*ROLES)
def assign(request, referral_id):
    selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    try:
        assignee_id = _assignee_id(request.POST.get("assignee"))
        services.referral_assign(
            actor=request.user,
            organisation=request.organisation,
            referral_id=referral_id,
            assignee_id=assignee_id,
        )
    except DomainError as exc:
        return _after_error(request, referral_id, exc)
    messages.success(request, "L'orientation est confiée.")
    return redirect("referrals:detail", referral_id)


@require_POST
@membership_required(*ROLES)
def message(request, referral_id):
    selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    internal = request.POST.get("internal") == "1"
    try:
        services.referral_message_post(
            actor=request.user,
            organisation=request.organisation,
            referral_id=referral_id,
            body=request.POST.get("body", ""),
            internal=internal,
        )
    except DomainError as exc:
        return _after_error(request, referral_id, exc)
    messages.success(request, "Note enregistrée." if internal else "Message envoyé.")
    return redirect("referrals:detail", referral_id)
