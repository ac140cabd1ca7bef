"""Sending a referral: the routing profile arrives in the URL, the counsellor completes it."""

from django.contrib import messages
from django.shortcuts import redirect, render

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.partners.models import Organisation
from maillage.referrals import routing_adapter, services
from maillage.referrals.forms import SendForm

# Service error fields → form fields, so the message shows next to the right input.
FIELD_MAP = {
    "consent.given": "consent_given",
    "consent.method": "consent_method",
    "person.first_name": "first_name",
    "person.last_name": "last_name",
    "person.email": "email",
    "person.birth_date": "birth_date",
    "profile.department": "department",
    "profile.status": "status",
}


def _decision_of(profile):
    try:
        _clean, decision = routing_adapter.decide(profile)
    except DomainError:
        return {}
    return decision


def _names(decision):
    slugs = [decision.get("primary"), *(decision.get("alternatives") or [])]
    names = dict(
        Organisation.objects.filter(slug__in=[s for s in slugs if s]).values_list("slug", "name")
    )
    return {
        "primary": names.get(decision.get("primary"), decision.get("primary")),
        "alternatives": [names.get(s, s) for s in decision.get("alternatives") or []],
    }


@membership_required(Role.COUNSELLOR, Role.MANAGER)
def create(request):
    organisation = request.organisation
    duplicate = None
    if request.method == "POST":
        form = SendForm(request.POST, sender=organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_send(
                    actor=request.user,
                    organisation=organisation,
                    to=data["to"].slug,
                    person={
                        "first_name": data["first_name"],
                        "last_name": data["last_name"],
                        "birth_date": data.get("birth_date"),
                        "email": data.get("email", ""),
                        "phone": data.get("phone", ""),
                    },
                    profile=form.profile(),
                    need=data["need"],
                    consent={
                        "given": bool(data.get("consent_given")),
                        "method": data.get("consent_method") or "",
                    },
                    preferred_contact=data.get("preferred_contact") or "",
                    consent_operators=[o.slug for o in data.get("consent_operators") or []],
                    duplicate_reason=data.get("duplicate_reason", ""),
                )
            except services.DuplicateFound as exc:
                duplicate = exc.message
            except DomainError as exc:
                form.add_error(
                    FIELD_MAP.get(exc.field) if exc.field in FIELD_MAP else None, exc.message
                )
            else:
                messages.success(
                    request,
                    f"Orientation envoyée à {referral.receiver_organisation.name}. Vous serez "
                    "prévenu·e de chaque étape.",
                )
                return redirect("referrals:detail", referral.pk)
        profile = form.profile() if form.is_valid() else {}
    else:
        profile = routing_adapter.profile_from_query(request.GET)
        initial = dict(profile)
        if request.GET.get("to"):
            initial["to"] = request.GET["to"]
        form = SendForm(initial=initial, sender=organisation)
    decision = _decision_of(profile) if profile else {}
    return render(
        request,
        "referrals/create.html",
        {
            "form": form,
            "duplicate": duplicate,
            "decision": decision,
            "decision_names": _names(decision) if decision else {},
        },
        # A failed POST is a 400 (invalid input) or a 409 (duplicate to confirm).
        status=200 if request.method == "GET" else (409 if duplicate else 400),
    )
