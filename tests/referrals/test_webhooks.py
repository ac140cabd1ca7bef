"""Webhooks: signed POSTs to a local server started by the test, retries with backoff, log."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.referrals.enums import DeliveryStatus
from maillage.referrals.models import Webhook, WebhookDelivery
from maillage.referrals.webhooks import webhooks_retry_due
from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "un-secret-partage-tres-long"


@pytest.fixture
def server():
    """A local HTTP endpoint (127.0.0.1 only) answering with the queued status codes."""
    received = []
    answers = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {
        "url": f"http://127.0.0.1:{httpd.server_port}/hook",
        "received": received,
        "answers": answers,
    }
    httpd.shutdown()
    httpd.server_close()


def test_each_status_change_is_posted_signed(server, sender, receiver, run_worker):
    Webhook.objects.create(organisation=receiver.organisation, url=server["url"], secret=SECRET)
    referral = factories.send(sender, receiver)
    factories.walk(referral, sender, receiver, "accepted")
    run_worker()
    events = [json.loads(body) for _headers, body in server["received"]]
    assert [e["referral"]["status"] for e in events] == ["sent", "accepted"]
    assert events[1]["transition"]["from"] == "sent" and "first_name" not in json.dumps(events)
    headers, body = server["received"][0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Maillage-Signature"] == expected
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_failed_delivery_is_retried_with_backoff_then_delivered(
    server, sender, receiver, run_worker
):
    Webhook.objects.create(organisation=sender.organisation, url=server["url"], secret=SECRET)
    server["answers"].extend([500])
    factories.send(sender, receiver)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.last_status_code == 500
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # Not due yet: the periodic retry leaves it alone.
    webhooks_retry_due.enqueue()
    run_worker()
    assert WebhookDelivery.objects.get().attempts == 1
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    webhooks_retry_due.enqueue()
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    # Idempotent: running the retry again posts nothing more.
    webhooks_retry_due.enqueue()
    run_worker()
    assert len(server["received"]) == 2


def test_a_manager_registers_a_webhook_and_reads_the_log(client, receiver):
    manager = MembershipFactory(organisation=receiver.organisation, manager=True)
    client.force_login(manager.user)
    url = reverse("referrals:webhooks")
    assert client.post(url, {"url": "pas une url", "secret": SECRET}).status_code == 400
    assert (
        client.post(url, {"url": "https://si.exemple.fr/hook", "secret": "court"}).status_code
        == 400
    )
    assert (
        client.post(url, {"url": "https://si.exemple.fr/hook", "secret": SECRET}).status_code == 302
    )
    assert Webhook.objects.get().organisation == receiver.organisation
    assert "https://si.exemple.fr/hook" in client.get(url).content.decode()
    client.force_login(receiver.user)
    assert client.get(url).status_code == 403
