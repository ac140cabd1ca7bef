"""Sending a referral: the routing profile arrives in the URL, the counsellor completes it.

"Orienter ailleurs" (`?depuis=<n°>&to=<slug>`) starts from a refused or expired referral this
operator sent: the person, the profile and the need are pre-filled, its attachments offered,
and the consent is asked again, for the new operator (never pre-checked)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from maillage.accounts.enums import Role
from maillage.accounts.permissions import membership_required
from maillage.core.errors import DomainError
from maillage.partners.models import Organisation
from maillage.referrals import selectors, services
from maillage.referrals.enums import REFOCUS_STATES, Side
from maillage.referrals.forms import SendForm, profile_from_query, receivers
from maillage.referrals.services.attachments import ACCEPT
from maillage.referrals.services.send import profile_decide

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
    "profile.employer_group": "employer_group",
    "no_contact_reason": "no_contact_reason",
    "offer": "offer",
    "to": "to",
    "attachments": "attachments",
    "carry_attachments": "carry_attachments",
}


def _decision_of(profile):
    try:
        _clean, decision = profile_decide(profile)
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


def _previous(request, value):
    """The refused or expired referral this operator sent, to redirect elsewhere; else None."""
    if not value:
        return None
    referral = selectors.referral_get(organisation=request.organisation, referral_id=value)
    if referral.side_of(request.organisation) != Side.SENDER or referral.anonymised_at:
        raise PermissionDenied("Seul l'opérateur qui a orienté la personne l'oriente ailleurs.")
    if referral.status not in REFOCUS_STATES:
        raise PermissionDenied("Seule une orientation refusée ou expirée s'oriente ailleurs.")
    return referral


def _initial_from(previous):
    initial = {
        "first_name": previous.first_name,
        "last_name": previous.last_name,
        "birth_date": previous.birth_date,
        "email": previous.email,
        "phone": previous.phone,
        "preferred_contact": previous.preferred_contact,
        "need": previous.need,
        "carry_attachments": [str(a.pk) for a in previous.attachments.all()],
    }
    initial.update(previous.profile or {})
    return initial


def _new_operator(slug):
    return receivers().filter(slug=slug).first() if slug else None


@membership_required(Role.COUNSELLOR, Role.MANAGER)
def create(request):
    organisation = request.organisation
    duplicate = None
    params = request.POST if request.method == "POST" else request.GET
    previous = _previous(request, params.get("depuis"))
    new_operator = _new_operator(params.get("to")) if previous else None
    form_options = {"sender": organisation, "previous": previous, "new_operator": new_operator}
    if request.method == "POST":
        form = SendForm(request.POST, **form_options)
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
                    contact_person=not data.get("do_not_contact"),
                    no_contact_reason=data.get("no_contact_reason", ""),
                    offer=data.get("offer") or None,
                    previous=previous,
                    attachments=request.FILES.getlist("attachments"),
                    carry_attachments=data.get("carry_attachments") or [],
                )
            except services.DuplicateFound as exc:
                duplicate = exc.message
            except DomainError as exc:
                field = FIELD_MAP.get(exc.field)
                if field == "attachments":
                    form.attachment_error = exc.message
                    field = None
                form.add_error(field, exc.message)
            else:
                messages.success(
                    request,
                    f"Orientation envoyée à {referral.receiver_organisation.name}. Vous serez "
                    "prévenu·e de chaque étape.",
                )
                return redirect("referrals:detail", referral.pk)
        profile = form.profile() if form.is_valid() else {}
    else:
        if previous is not None:
            initial = _initial_from(previous)
            profile = dict(previous.profile or {})
        else:
            profile = profile_from_query(request.GET)
            initial = dict(profile)
        if request.GET.get("to"):
            initial["to"] = request.GET["to"]
        form = SendForm(initial=initial, **form_options)
    decision = _decision_of(profile) if profile else {}
    return render(
        request,
        "referrals/create.html",
        {
            "form": form,
            "duplicate": duplicate,
            "decision": decision,
            "decision_names": _names(decision) if decision else {},
            "previous": previous,
            "new_operator": new_operator,
            "accept": ACCEPT,
            "attachment_mb": settings.MAILLAGE_ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "attachment_count": settings.MAILLAGE_ATTACHMENTS_PER_REFERRAL,
        },
        # A failed POST is a 400 (invalid input) or a 409 (duplicate to confirm).
        status=200 if request.method == "GET" else (409 if duplicate else 400),
    )
