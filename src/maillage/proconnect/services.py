"""Writes of ProConnect sign-in: the user from the claims, and the way into an operator."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.models import Invitation, Membership, User
from maillage.accounts.services import invitation_accept
from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.core.errors import Conflict, DomainError
from maillage.core.french import de
from maillage.partners.enums import OrganisationKind
from maillage.partners.models import Organisation, Site
from maillage.proconnect.models import MembershipRequest, ProConnectIdentity, RequestStatus


@dataclass
class SignInResult:
    user: User
    created: bool
    joined: list  # organisations joined now (a valid invitation)
    pending: list  # membership requests waiting for a manager


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


def _domain(email):
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def organisations_matching(*, siret, email):
    """Operators whose SIRET (organisation or site) or email domain matches: (org, how)."""
    found = {}
    siret = "".join(ch for ch in (siret or "") if ch.isdigit())
    operators = Organisation.objects.filter(kind=OrganisationKind.OPERATOR, is_active=True)
    if siret:
        # `siret` on organisations and sites comes with the partners' SIRET work (issue 14).
        if _has_field(Organisation, "siret"):
            for org in operators.filter(siret=siret):
                found.setdefault(org.pk, (org, "siret"))
        if _has_field(Site, "siret"):
            for site in Site.objects.filter(siret=siret, organisation__in=operators):
                found.setdefault(site.organisation_id, (site.organisation, "siret"))
    domain = _domain(email)
    if domain and not found:
        for org in operators.exclude(website=""):
            host = (urlsplit(org.website).hostname or "").lower().removeprefix("www.")
            if host and (domain == host or domain.endswith("." + host)):
                found.setdefault(org.pk, (org, "email_domain"))
        for site in Site.objects.filter(
            email__iendswith="@" + domain, organisation__in=operators
        ).select_related("organisation"):
            found.setdefault(site.organisation_id, (site.organisation, "email_domain"))
    return sorted(found.values(), key=lambda pair: pair[0].name)


def _claims_check(claims):
    sub = str(claims.get("sub") or "").strip()
    email = str(claims.get("email") or "").strip().lower()
    if not sub or "@" not in email:
        raise DomainError(
            "ProConnect n'a pas transmis votre identifiant ou votre adresse e-mail : "
            "la connexion est impossible."
        )
    return sub, email


@transaction.atomic
def proconnect_sign_in(*, claims, now=None):
    """The user for these ProConnect claims: found by subject, then by email, else created."""
    now = now or timezone.now()
    sub, email = _claims_check(claims)
    siret = "".join(ch for ch in str(claims.get("siret") or "") if ch.isdigit())[:14]
    identity = ProConnectIdentity.objects.select_related("user").filter(sub=sub).first()
    created = False
    if identity is not None:
        user = identity.user
    else:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, None)
            created = True
        identity = ProConnectIdentity.objects.create(user=user, sub=sub)
    if not user.is_active:
        raise DomainError("Ce compte est désactivé : adressez-vous à votre responsable.")
    # ProConnect is the source of truth for the names it carries.
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("usual_name") or user.last_name)[:150]
    user.save(update_fields=["first_name", "last_name"])
    identity.siret = siret
    identity.last_sign_in_at = now
    identity.save(update_fields=["siret", "last_sign_in_at"])
    audit_log(
        actor=user,
        action="accounts.user.signed_in_proconnect",
        obj=user,
        data={"created": created, "siret": siret},
    )
    result = SignInResult(user=user, created=created, joined=[], pending=[])
    # A valid invitation lets them in at once.
    deadline = now - timezone.timedelta(days=settings.MAILLAGE_INVITATION_DAYS)
    for invitation in Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, created_at__gte=deadline
    ).select_related("organisation"):
        try:
            invitation_accept(invitation=invitation, user=user)
        except DomainError:
            continue
        result.joined.append(invitation.organisation)
    if Membership.objects.active().filter(user=user).exists():
        return result
    for organisation, how in organisations_matching(siret=siret, email=email):
        result.pending.append(
            membership_request_create(
                user=user, organisation=organisation, matched_by=how, siret=siret
            )
        )
    return result


def membership_request_create(*, user, organisation, matched_by, siret=""):
    existing = MembershipRequest.objects.filter(
        user=user, organisation=organisation, status=RequestStatus.PENDING
    ).first()
    if existing is not None:
        return existing
    request = MembershipRequest.objects.create(
        user=user, organisation=organisation, matched_by=matched_by, siret=siret
    )
    audit_log(
        actor=user,
        action="accounts.membership_request.created",
        obj=request,
        organisation=organisation,
        data={"matched_by": matched_by},
    )
    managers = Membership.objects.active().filter(
        organisation=organisation, role=Role.MANAGER, user__is_active=True
    )
    link = settings.SITE_URL + reverse("proconnect:requests")
    for manager in managers.select_related("user"):
        email_queue(
            subject=f"[Maillage] {user} demande à rejoindre {organisation.name}",
            body=(
                f"Bonjour,\n\n{user} ({user.email}) s'est connecté à Maillage avec ProConnect "
                f"et demande à rejoindre {organisation.name}.\n\nAcceptez ou refusez la "
                f"demande : {link}\n"
            ),
            to=[manager.user.email],
            dedup_key=f"membership-request:{request.pk}:{manager.user_id}",
        )
    return request


def _pending_for(*, organisation, request_id):
    request = (
        MembershipRequest.objects.select_for_update()
        .filter(pk=request_id, organisation=organisation)
        .first()
    )
    if request is None:
        raise DomainError("Cette demande est introuvable.", code="not_found")
    if request.status != RequestStatus.PENDING:
        raise Conflict("Cette demande a déjà été traitée.", code="already_decided")
    return request


@transaction.atomic
def membership_request_approve(*, actor, organisation, request_id, role=Role.COUNSELLOR):
    request = _pending_for(organisation=organisation, request_id=request_id)
    if role not in (Role.COUNSELLOR, Role.MANAGER):
        raise DomainError("Choisissez le rôle du nouveau membre.", field="role")
    membership, created = Membership.objects.get_or_create(
        user=request.user, organisation=organisation, defaults={"role": role}
    )
    if not created:
        membership.role = role
        membership.is_active = True
        membership.ended_on = None
        membership.save(update_fields=["role", "is_active", "ended_on"])
    _decide(
        request,
        actor=actor,
        status=RequestStatus.APPROVED,
        organisation=organisation,
        data={"role": role, "user": request.user_id},
    )
    email_queue(
        subject=f"[Maillage] Bienvenue dans l'espace {de(organisation.name)}",
        body=(
            f"Bonjour,\n\n{actor} a accepté votre demande : vous êtes membre de "
            f"{organisation.name} sur Maillage. Connectez-vous avec ProConnect : "
            f"{settings.SITE_URL}{reverse('accounts:login')}\n"
        ),
        to=[request.user.email],
        dedup_key=f"membership-request:{request.pk}:approved",
    )
    return membership


def _decide(request, *, actor, status, organisation, data=None):
    """Record a manager's answer to a membership request, with its audit entry."""
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.save(update_fields=["status", "decided_at", "decided_by"])
    audit_log(
        actor=actor,
        action=f"accounts.membership_request.{RequestStatus(status).value}",
        obj=request,
        organisation=organisation,
        data=data,
    )


@transaction.atomic
def membership_request_refuse(*, actor, organisation, request_id):
    request = _pending_for(organisation=organisation, request_id=request_id)
    _decide(request, actor=actor, status=RequestStatus.REFUSED, organisation=organisation)
    return request
