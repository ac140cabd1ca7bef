"""Writes on an operator's webhooks: each one atomic, audited, the destination checked first.

The destination check (maillage/core/outbound.py) refuses a URL that is not https (outside
development) or whose host resolves to an internal network; the same check runs again at
each delivery. Secrets are generated here, in the Standard Webhooks form `whsec_<base64>`.
"""

import base64
import secrets

from django.db import transaction

from maillage.accounts.enums import Role
from maillage.core import outbound
from maillage.core.audit import audit_log
from maillage.core.errors import DomainError, Forbidden
from maillage.referrals.models import Webhook
from maillage.referrals.selectors import webhook_get

SECRET_BYTES = 32


def secret_new():
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _require_manager(membership):
    if membership is None or membership.role != Role.MANAGER:
        raise Forbidden("Seuls les responsables d'un opérateur gèrent ses webhooks.")


def _url_clean(url):
    url = (url or "").strip()
    try:
        outbound.destination_check(url)
    except outbound.OutboundRefused as refused:
        message = refused.message[:1].upper() + refused.message[1:] + "."
        raise DomainError(message, code=refused.code, field="url") from refused
    return url


@transaction.atomic
def webhook_create(*, membership, url):
    _require_manager(membership)
    url = _url_clean(url)
    organisation = membership.organisation
    if Webhook.objects.filter(organisation=organisation, url=url, is_active=True).exists():
        raise DomainError(
            "Un webhook actif existe déjà pour cette adresse.", code="duplicate", field="url"
        )
    hook = Webhook.objects.create(
        organisation=organisation, url=url, secret=secret_new(), created_by=membership.user
    )
    audit_log(
        actor=membership.user,
        action="referrals.webhook.created",
        obj=hook,
        organisation=organisation,
        data={"url": url},
    )
    return hook


@transaction.atomic
def webhook_update(*, membership, webhook_id, url, rotate_secret=False):
    """Change the address (checked again), reactivate, and optionally issue a new secret."""
    _require_manager(membership)
    organisation = membership.organisation
    hook = webhook_get(organisation=organisation, webhook_id=webhook_id, for_update=True)
    url = _url_clean(url)
    changes = {}
    if url != hook.url:
        changes["url"] = [hook.url, url]
        hook.url = url
    if not hook.is_active:
        changes["is_active"] = [False, True]
        hook.is_active = True
    if rotate_secret:
        changes["secret"] = "renouvelé"  # never the secret itself
        hook.secret = secret_new()
    if changes:
        hook.save(update_fields=["url", "is_active", "secret"])
        audit_log(
            actor=membership.user,
            action="referrals.webhook.updated",
            obj=hook,
            organisation=organisation,
            data=changes,
        )
    return hook


@transaction.atomic
def webhook_deactivate(*, membership, webhook_id):
    _require_manager(membership)
    organisation = membership.organisation
    hook = webhook_get(organisation=organisation, webhook_id=webhook_id, for_update=True)
    if hook.is_active:
        hook.is_active = False
        hook.save(update_fields=["is_active"])
        audit_log(
            actor=membership.user,
            action="referrals.webhook.deactivated",
            obj=hook,
            organisation=organisation,
        )
    return hook
