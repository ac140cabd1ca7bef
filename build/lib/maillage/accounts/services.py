"""Writes on users, memberships, invitations and API tokens. Each runs in one transaction."""

import secrets

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.enums import Role
from maillage.accounts.identifiers import identifier_normalise
from maillage.accounts.models import ApiToken, Invitation, Membership, User, hash_token
from maillage.core.audit import audit_log
from maillage.core.email import email_queue
from maillage.core.errors import DomainError
from maillage.core.signing import make_token

INVITATION_PURPOSE = "invitation"


def roles_allowed_in(organisation):
    """Roles a member may hold in this organisation (coordinators only in coordination bodies)."""
    if organisation.is_coordination:
        return [Role.COORDINATOR, Role.MANAGER, Role.COMMITTEE_MEMBER]
    return [Role.COUNSELLOR, Role.MANAGER, Role.COMMITTEE_MEMBER]


def _check_role(organisation, role):
    if role not in roles_allowed_in(organisation):
        raise DomainError(
            f"Le rôle « {Role(role).label} » n'existe pas dans cette organisation.", field="role"
        )


def _ensure_a_manager_remains(membership, *, new_role=None, deactivating=False):
    """Refuse to leave an organisation without an active manager (or coordinator)."""
    leading = {Role.MANAGER, Role.COORDINATOR}
    if membership.role not in leading or not membership.is_active:
        return
    if not deactivating and new_role in leading:
        return
    others = (
        Membership.objects.filter(
            organisation=membership.organisation, is_active=True, role__in=leading
        )
        .exclude(pk=membership.pk)
        .select_for_update()
    )
    if not others.exists():
        raise DomainError(
            "C'est le dernier responsable actif de l'organisation : "
            "nommez d'abord un autre responsable."
        )


@transaction.atomic
def membership_set_role(*, actor, membership, role):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_role(membership.organisation, role)
    if membership.role == role:
        return membership
    _ensure_a_manager_remains(membership, new_role=role)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_log(
        actor=actor,
        action="accounts.membership.role_changed",
        obj=membership,
        organisation=membership.organisation,
        data={"from": before, "to": role},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor, membership):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        return membership
    _ensure_a_manager_remains(membership, deactivating=True)
    membership.is_active = False
    membership.ended_on = max(timezone.localdate(), membership.started_on)
    membership.save(update_fields=["is_active", "ended_on"])
    audit_log(
        actor=actor,
        action="accounts.membership.deactivated",
        obj=membership,
        organisation=membership.organisation,
    )
    return membership


@transaction.atomic
def membership_reactivate(*, actor, membership):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active:
        return membership
    membership.is_active = True
    membership.ended_on = None
    membership.save(update_fields=["is_active", "ended_on"])
    audit_log(
        actor=actor,
        action="accounts.membership.reactivated",
        obj=membership,
        organisation=membership.organisation,
    )
    return membership


def invitation_link(invitation):
    token = make_token(invitation.pk, purpose=INVITATION_PURPOSE)
    return settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])


@transaction.atomic
def invitation_create(*, actor, organisation, email, role, first_name="", last_name=""):
    email = identifier_normalise(email)
    _check_role(organisation, role)
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, is_active=True
    ).exists():
        raise DomainError("Cette personne est déjà membre de l'organisation.", field="email")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        invited_by=actor,
    )
    audit_log(
        actor=actor,
        action="accounts.invitation.created",
        obj=invitation,
        organisation=organisation,
        data={"email": email, "role": role},
    )
    context = {
        "invitation": invitation,
        "link": invitation_link(invitation),
        "days": settings.MAILLAGE_INVITATION_DAYS,
    }
    subject = f"Invitation à rejoindre {organisation.name} sur Maillage"
    body = render_to_string("accounts/email/invitation.txt", context)
    email_queue(subject=subject, body=body, to=[email])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user=None, first_name="", last_name="", password=None):
    """Accept an invitation: for a signed-in `user` whose email matches, or by creating the user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError("Cette invitation a déjà été acceptée.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise DomainError(
                "Un compte existe déjà pour cette adresse : connectez-vous pour accepter."
            )
        user = User.objects.create_user(
            invitation.email,
            password,
            first_name=first_name or invitation.first_name,
            last_name=last_name or invitation.last_name,
        )
    elif identifier_normalise(user.email) != identifier_normalise(invitation.email):
        raise DomainError("Cette invitation a été envoyée à une autre adresse e-mail.")
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={"role": invitation.role},
    )
    if not created:
        membership.role = invitation.role
        membership.is_active = True
        membership.ended_on = None
        membership.save(update_fields=["role", "is_active", "ended_on"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_log(
        actor=user,
        action="accounts.invitation.accepted",
        obj=invitation,
        organisation=invitation.organisation,
    )
    return membership


@transaction.atomic
def api_token_create(*, user, organisation=None, name=""):
    """Create a token for the user in one of their organisations; return (token, raw key)."""
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    membership = memberships.order_by("created_at").first()
    if membership is None:
        raise DomainError(
            "Cet utilisateur n'est membre actif d'aucune organisation correspondante."
        )
    raw = "mlg_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=membership.organisation,
        prefix=raw[:12],
        key_hash=hash_token(raw),
        name=name,
    )
    audit_log(
        actor=user,
        action="accounts.api_token.created",
        obj=token,
        organisation=membership.organisation,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token, actor=None):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor,
            action="accounts.api_token.revoked",
            obj=token,
            organisation=token.organisation,
        )
    return token


def user_update_preferences(*, user, notification_preference):
    user.notification_preference = notification_preference
    user.save(update_fields=["notification_preference"])
    audit_log(
        actor=user,
        action="accounts.user.preferences_changed",
        obj=user,
        data={"notification_preference": notification_preference},
    )
    return user
