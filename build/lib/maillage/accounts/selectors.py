"""Reads on accounts, always scoped to the organisation of the person asking."""

from django.shortcuts import get_object_or_404

from maillage.accounts.models import ApiToken, Membership, hash_token


def members_of(organisation):
    """The memberships of one organisation (the caller passes its own current organisation)."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "organisation")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email")
    )


def member_get(*, organisation, membership_id):
    """One membership of `organisation`; another organisation's answers 404."""
    return get_object_or_404(members_of(organisation), pk=membership_id)


def active_memberships_of(user):
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def api_token_authenticate(raw):
    """The active token matching `raw`, with its user and organisation, or None."""
    if not raw:
        return None
    return (
        ApiToken.objects.filter(
            key_hash=hash_token(raw),
            revoked_at__isnull=True,
            user__is_active=True,
            organisation__is_active=True,
        )
        .select_related("user", "organisation")
        .first()
    )


def api_token_membership(token):
    return (
        Membership.objects.active().filter(user=token.user, organisation=token.organisation).first()
    )
