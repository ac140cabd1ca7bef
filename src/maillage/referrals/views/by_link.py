"""One referral opened from the receiver's email link, without an account (receiver actions)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.core.signing import BadLink
from maillage.proconnect.client import is_enabled as proconnect_enabled
from maillage.referrals import links, selectors
from maillage.referrals.enums import REFUSAL_MESSAGES, Action, Side, Status
from maillage.referrals.forms import CloseForm, RefuseForm, StartForm
from maillage.referrals.services.links import LINK_ACTIONS, access_link_revoke, link_transition
from maillage.referrals.services.links import link_read as link_read_service
from maillage.referrals.workflow import actions_available


def invalid(request, reason, *, status=404):
    response = render(request, "referrals/link/invalid.html", {"reason": reason}, status=status)
    # The token never leaves in a Referer; same-origin keeps the Origin header for CSRF.
    response["Referrer-Policy"] = "same-origin"
    return response


def _page(request, open_link, referral, *, first=False, error=None, status=200):
    if error:
        messages.error(request, error)
    actions = [a for a in actions_available(referral.status, Side.RECEIVER) if a in LINK_ACTIONS]
    response = render(
        request,
        "referrals/link/referral.html",
        {
            "referral": referral,
            "history": selectors.history_of(referral),
            "actions": actions,
            "refuse_form": RefuseForm(),
            "refusal_messages": {k.value: v for k, v in REFUSAL_MESSAGES.items()},
            "close_form": CloseForm(),
            "start_form": StartForm(),
            "link": open_link.link,
            "first_use": first,
            "proconnect_enabled": proconnect_enabled(),
        },
        status=status,
    )
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def by_link(request, referral_id, token):
    try:
        open_link = links.receiver_link_open(token, referral_id=referral_id)
    except BadLink as exc:
        return invalid(request, str(exc), status=links.bad_link_status(str(exc)))
    if request.method != "POST":
        referral, first = link_read_service(open_link=open_link)
        return _page(request, open_link, referral, first=first)
    data = request.POST
    action = data.get("action", "")
    try:
        first_appointment_on = None
        if action == Action.START:
            form = StartForm(data)
            if not form.is_valid():
                raise DomainError(
                    "Indiquez une date de premier rendez-vous valide.",
                    field="first_appointment_on",
                )
            first_appointment_on = form.cleaned_data["first_appointment_on"]
        done = link_transition(
            open_link=open_link,
            action=action,
            reason=data.get("reason", ""),
            message=data.get("message", ""),
            outcome=data.get("outcome", ""),
            first_appointment_on=first_appointment_on,
        )
    except DomainError as exc:
        referral = links.receiver_link_open(token, referral_id=referral_id).referral
        status = exc.status_code if exc.status_code in (403, 409) else 400
        return _page(request, open_link, referral, error=exc.message, status=status)
    messages.success(request, f"Orientation {Status(done.to_status).label.lower()}.")
    return redirect(request.path)


@require_POST
@membership_required(Role.MANAGER)
def link_revoke(request, referral_id, link_id):
    selectors.referral_get(organisation=request.organisation, referral_id=referral_id)
    try:
        access_link_revoke(actor=request.user, organisation=request.organisation, link_id=link_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Le lien est désactivé : il n'ouvre plus l'orientation.")
    return redirect("referrals:detail", referral_id)
