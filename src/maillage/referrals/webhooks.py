"""Webhooks: each status change is POSTed as JSON signed per the Standard Webhooks specification.

A delivery is claimed in a short transaction, POSTed with no transaction open (a slow receiver
never holds the database's write lock), and its result recorded in another short transaction.
Retries are the worker's: `deliver_webhook` raises `TaskFailure` with a French summary, the
worker tries again with back-off up to the policy's attempts, then parks the task and
`_parked` marks the delivery failed. A delivered delivery is never POSTed again, and every
attempt carries the same `webhook-id`, so that the receiver can drop duplicates.
"""

import json
from datetime import UTC, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from standardwebhooks.webhooks import Webhook as Signer

from maillage.core import outbound
from maillage.jobs.errors import TaskFailure
from maillage.jobs.policy import retry_policy
from maillage.referrals.enums import DeliveryStatus
from maillage.referrals.models import Webhook, WebhookDelivery

# Attempts before the task is parked: with a 60 s base, the last retries come hours later.
MAX_ATTEMPTS = 8
BASE_SECONDS = 60
# A claimed delivery is left alone by other workers for this long (well above one POST).
DEACTIVATED = "webhook désactivé : livraison abandonnée"
IN_PROGRESS = "livraison déjà en cours par un autre processus"


def body_of(delivery) -> bytes:
    return json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()


def signed_headers(*, secret, message_id, body: bytes, at=None):
    """The Standard Webhooks headers: id, timestamp (seconds) and `v1,<base64 HMAC-SHA256>`."""
    at = (at or timezone.now()).astimezone(UTC)
    signature = Signer(secret).sign(msg_id=message_id, timestamp=at, data=body.decode())
    return {
        "Content-Type": "application/json",
        "User-Agent": "Maillage-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def payload_of(referral, *, event, transition=None):
    """No personal data in webhooks: the receiving system reads the referral through the API."""
    data = {
        "event": event,
        "referral": {
            "id": referral.pk,
            "status": referral.status,
            "from": referral.sender_organisation.slug,
            "to": referral.receiver_organisation.slug,
            "sent_at": referral.sent_at.isoformat(),
        },
    }
    if transition is not None:
        data["transition"] = {
            "action": transition.action,
            "from": transition.from_status,
            "to": transition.to_status,
            "reason": transition.reason,
            "at": transition.created_at.isoformat(),
        }
    return data


def webhooks_dispatch(*, referral, event, transition=None):
    """Create one delivery per active webhook of both sides; the worker posts them on commit."""
    hooks = Webhook.objects.filter(
        is_active=True,
        organisation_id__in=[referral.sender_organisation_id, referral.receiver_organisation_id],
    )
    payload = payload_of(referral, event=event, transition=transition)
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(
            webhook=hook, referral=referral, event=event, payload=payload
        )
        transaction.on_commit(lambda pk=delivery.pk: deliver_webhook.enqueue(delivery_id=pk))


def claim_seconds():
    """Longer than any attempt can take (connect, answer, a margin): after it, stale."""
    return outbound.CONNECT_TIMEOUT_SECONDS + outbound.read_timeout_seconds() + 20


def delivery_claim(delivery_id, *, now):
    """Short transaction: the delivery to post (marked claimed), or None when nothing is to do.

    Raises TaskFailure when another worker holds a fresh claim (the worker retries later)."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
        if delivery is None or delivery.status == DeliveryStatus.DELIVERED:
            return None
        if not delivery.webhook.is_active:
            WebhookDelivery.objects.filter(pk=delivery.pk).exclude(
                status=DeliveryStatus.DELIVERED
            ).update(status=DeliveryStatus.FAILED, last_error=DEACTIVATED, claimed_until=None)
            return None
        claimed = (
            WebhookDelivery.objects.filter(pk=delivery.pk)
            .exclude(status=DeliveryStatus.DELIVERED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=now + timedelta(seconds=claim_seconds()))
        )
        if not claimed:
            raise TaskFailure(IN_PROGRESS)
        return delivery


def delivery_record(delivery, outcome, *, now):
    """Short transaction: the attempt's result on the row (a French summary, never raw text)."""
    fields = {
        "attempts": F("attempts") + 1,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error[:300],
        "claimed_until": None,
    }
    if outcome.ok:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now)
    else:
        fields.update(status=DeliveryStatus.RETRYING)
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).exclude(
            status=DeliveryStatus.DELIVERED
        ).update(**fields)


def delivery_attempt(delivery_id):
    """One attempt: claim, POST outside any transaction, record. Returns the Outcome (or None
    when there was nothing to post); never raises for a failed POST."""
    delivery = delivery_claim(delivery_id, now=timezone.now())
    if delivery is None:
        return None
    body = body_of(delivery)
    headers = signed_headers(
        secret=delivery.webhook.secret, message_id=delivery.message_id, body=body
    )
    outcome = outbound.post(delivery.webhook.url, body=body, headers=headers)
    delivery_record(delivery, outcome, now=timezone.now())
    return outcome


def _parked(*, delivery_id):
    """The worker gave up: the delivery shows as failed, with its last French reason."""
    WebhookDelivery.objects.filter(pk=delivery_id).exclude(status=DeliveryStatus.DELIVERED).update(
        status=DeliveryStatus.FAILED, claimed_until=None
    )


def _owner(*, delivery_id):
    return (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .values_list("webhook__organisation_id", flat=True)
        .first()
    )


@retry_policy(
    max_attempts=MAX_ATTEMPTS,
    base_seconds=BASE_SECONDS,
    on_parked=_parked,
    owner=_owner,
    label="Livraison d'un webhook",
)
@task()
def deliver_webhook(*, delivery_id):
    outcome = delivery_attempt(delivery_id)
    if outcome is not None and not outcome.ok:
        # An internal or non-https address will not change by retrying: parked at once.
        raise TaskFailure(f"Webhook non livré : {outcome.error}.", permanent=outcome.permanent)
    return None if outcome is None else outcome.status_code
