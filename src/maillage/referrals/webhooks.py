"""Webhooks: each status change is POSTed as signed JSON to the operators' systems, with retries."""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maillage.referrals.enums import DeliveryStatus
from maillage.referrals.models import Webhook, WebhookDelivery

# Minutes before each new attempt; after the last one the delivery is marked failed.
BACKOFF_MINUTES = (1, 5, 30, 120, 720)
TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-Maillage-Signature"


def sign(secret, body: bytes):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


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


def _post(url, body, signature):
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(exc)[:300]


def delivery_attempt(delivery_id, *, now=None):
    """One attempt; idempotent: a delivered or failed delivery is left alone."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
            return None
        body = json.dumps(delivery.payload, sort_keys=True).encode()
        status_code, error = _post(delivery.webhook.url, body, sign(delivery.webhook.secret, body))
        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_error = error
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif delivery.attempts > len(BACKOFF_MINUTES):
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.RETRYING
            wait = BACKOFF_MINUTES[delivery.attempts - 1]
            delivery.next_attempt_at = now + timedelta(minutes=wait)
        delivery.save()
        return delivery.status


@task()
def deliver_webhook(*, delivery_id):
    return delivery_attempt(delivery_id)


@task()
def webhooks_retry_due():
    """Periodic: retry the deliveries whose backoff has elapsed."""
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.RETRYING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:500]
    return sum(1 for pk in list(due) if delivery_attempt(pk) is not None)
