"""Webhooks: Standard Webhooks signatures, one id across retries, retries by the worker, French
failure summaries, and the page's writes through services (scoped to the manager's operator).

Deliveries go to a real local HTTP server started by the test. 127.0.0.1 is an internal address
that the guard refuses, so these tests exempt it through MAILLAGE_OUTBOUND_ALLOWED_NETWORKS
(the guard itself is tested with that setting off, in tests/core/test_outbound.py).
"""

import base64
import html
import json
import re
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import standardwebhooks.webhooks
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.core.models import AuditEntry
from maillage.jobs.errors import TaskFailure
from maillage.jobs.models import TaskRecord
from maillage.jobs.policy import policy_for
from maillage.referrals.enums import DeliveryStatus
from maillage.referrals.models import Webhook, WebhookDelivery
from maillage.referrals.services.webhooks import secret_new
from maillage.referrals.webhooks import _owner, _parked, deliver_webhook
from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


@pytest.fixture
def loopback_allowed(settings):
    settings.MAILLAGE_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def server(loopback_allowed):
    """A local HTTP endpoint answering with the queued status codes (and headers)."""
    received = []
    answers = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            status, extra = answers.pop(0) if answers else (200, {})
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {
        "url": f"http://127.0.0.1:{httpd.server_port}/hook",
        "port": httpd.server_port,
        "received": received,
        "answers": answers,
    }
    httpd.shutdown()
    httpd.server_close()


def _hook(membership, url, **extra):
    return Webhook.objects.create(
        organisation=membership.organisation, url=url, secret=secret_new(), **extra
    )


def _documented_verify():
    """The receiver-side verification of docs/webhooks.md, run as written."""
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S).group(1)
    namespace = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # our own documentation, run as written
    return namespace["verify"]


def test_each_status_change_is_posted_signed_per_standard_webhooks(
    server, sender, receiver, run_worker
):
    hook = _hook(receiver, server["url"])
    referral = factories.send(sender, receiver)
    factories.walk(referral, sender, receiver, "accepted")
    run_worker()
    events = [json.loads(body) for _headers, body in server["received"]]
    assert [e["referral"]["status"] for e in events] == ["sent", "accepted"]
    assert events[1]["transition"]["from"] == "sent" and "first_name" not in json.dumps(events)
    headers, body = server["received"][0]
    delivery = WebhookDelivery.objects.get(event="referral.sent")
    assert headers["webhook-id"] == delivery.message_id and delivery.message_id.startswith("msg_")
    assert abs(int(headers["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 60
    assert headers["webhook-signature"].startswith("v1,")
    assert "X-Maillage-Signature" not in headers
    # The package's verification (what receivers use) accepts it.
    assert standardwebhooks.webhooks.Webhook(hook.secret).verify(body, headers)["event"] == (
        "referral.sent"
    )
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_the_documented_verification_refuses_a_replay_or_a_changed_body(
    server, sender, receiver, run_worker, monkeypatch
):
    hook = _hook(receiver, server["url"])
    factories.send(sender, receiver)
    run_worker()
    ((headers, body),) = server["received"]
    verify = _documented_verify()
    assert verify(body, headers, hook.secret)["event"] == "referral.sent"

    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        verify(body.replace(b"sent", b"done"), headers, hook.secret)
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        verify(body, headers, secret_new())

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(minutes=6)

    # The same captured delivery replayed six minutes later: outside the tolerance window.
    monkeypatch.setattr(standardwebhooks.webhooks, "datetime", Later)
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError, match="too old"):
        verify(body, headers, hook.secret)


def test_a_failed_delivery_is_retried_by_the_worker_with_the_same_id(
    server, sender, receiver, run_worker
):
    _hook(sender, server["url"])
    server["answers"].append((500, {}))
    factories.send(sender, receiver)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.RETRYING,
        1,
        500,
    )
    assert delivery.last_error == "le serveur a répondu 500"
    # The task failed with the French reason: the worker queued it again, after a delay.
    result = DBTaskResult.objects.get(task_path__endswith="deliver_webhook")
    assert result.status == "READY" and result.run_after > timezone.now()
    record = TaskRecord.objects.get(pk=result.pk)
    assert record.last_error == "Webhook non livré : le serveur a répondu 500."
    policy = policy_for(deliver_webhook.module_path)
    assert policy.max_attempts >= 5 and policy.on_parked is _parked
    assert _owner(delivery_id=delivery.pk) == sender.organisation_id

    # The worker's retry once the delay is over: the same delivery, the same webhook-id.
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        2,
        "",
    )
    first, second = (h["webhook-id"] for h, _b in server["received"])
    assert first == second == delivery.message_id
    # Idempotent: a delivered delivery is never posted again.
    deliver_webhook.call(delivery_id=delivery.pk)
    assert len(server["received"]) == 2
    assert WebhookDelivery.objects.get().attempts == 2


def test_parked_delivery_is_marked_failed_with_its_reason(server, sender, receiver):
    _hook(sender, server["url"])
    server["answers"].append((503, {}))
    factories.send(sender, receiver)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(TaskFailure, match="le serveur a répondu 503") as failure:
        deliver_webhook.call(delivery_id=delivery.pk)
    assert not failure.value.permanent
    _parked(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "le serveur a répondu 503"


def test_a_redirect_is_not_followed(server, sender, receiver):
    _hook(sender, server["url"])
    server["answers"].append((302, {"Location": "http://169.254.169.254/latest/meta-data/"}))
    factories.send(sender, receiver)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(TaskFailure, match="redirection non suivie"):
        deliver_webhook.call(delivery_id=delivery.pk)
    assert len(server["received"]) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.RETRYING, 302)


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_page_shows_a_french_summary_never_the_raw_error(
    client, loopback_allowed, sender, receiver, settings
):
    manager = MembershipFactory(organisation=sender.organisation, manager=True)
    _hook(sender, f"http://127.0.0.1:{_closed_port()}/hook")
    _hook(sender, "http://10.1.2.3/hook")
    factories.send(sender, receiver)
    for delivery in WebhookDelivery.objects.all():
        with pytest.raises(TaskFailure):
            deliver_webhook.call(delivery_id=delivery.pk)
    errors = set(WebhookDelivery.objects.values_list("last_error", flat=True))
    assert errors == {
        "le serveur a refusé la connexion",
        "adresse refusée : elle désigne un réseau interne",
    }
    client.force_login(manager.user)
    page = client.get(reverse("referrals:webhooks")).content.decode()
    assert "Le serveur a refusé la connexion" in page
    assert "Adresse refusée : elle désigne un réseau interne" in page
    assert "Errno" not in page and "refused" not in page.lower().replace("refusé", "")


def test_a_timeout_is_summarised_in_french(loopback_allowed, sender, receiver, settings):
    settings.MAILLAGE_OUTBOUND_TIMEOUT_SECONDS = 1
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        _hook(sender, f"http://127.0.0.1:{listener.getsockname()[1]}/hook")
        factories.send(sender, receiver)
        delivery = WebhookDelivery.objects.get()
        with pytest.raises(TaskFailure, match=re.escape("pas répondu à temps (1 s)")):
            deliver_webhook.call(delivery_id=delivery.pk)
    finally:
        listener.close()


def test_a_deactivated_webhook_is_not_posted(server, sender, receiver):
    hook = _hook(sender, server["url"])
    factories.send(sender, receiver)
    Webhook.objects.filter(pk=hook.pk).update(is_active=False)
    deliver_webhook.call(delivery_id=WebhookDelivery.objects.get().pk)
    assert server["received"] == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_delivery_claimed_by_another_worker_is_not_posted_twice(server, sender, receiver):
    _hook(sender, server["url"])
    factories.send(sender, receiver)
    delivery = WebhookDelivery.objects.get()
    from django.utils import timezone

    WebhookDelivery.objects.update(claimed_until=timezone.now() + timedelta(seconds=30))
    with pytest.raises(TaskFailure, match="déjà en cours"):
        deliver_webhook.call(delivery_id=delivery.pk)
    assert server["received"] == []


# --- the page: a form, services, scoping -----------------------------------------------------
@pytest.fixture
def manager(receiver):
    return MembershipFactory(organisation=receiver.organisation, manager=True)


def test_a_manager_registers_a_webhook_through_the_service(client, manager, receiver):
    client.force_login(manager.user)
    url = reverse("referrals:webhooks")
    answer = client.post(url, {"url": "pas une url"})
    assert answer.status_code == 400
    assert "indiquez une adresse web complète" in answer.content.decode()
    answer = client.post(url, {"url": "https://1.1.1.1/hook"})
    assert answer.status_code == 302
    hook = Webhook.objects.get()
    assert hook.organisation == receiver.organisation and hook.created_by == manager.user
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]+=*", hook.secret)
    assert len(base64.b64decode(hook.secret.removeprefix("whsec_"))) == 32
    entry = AuditEntry.objects.get(action="referrals.webhook.created")
    assert entry.data == {"url": "https://1.1.1.1/hook"} and hook.secret not in json.dumps(
        entry.data
    )
    page = client.get(url).content.decode()
    assert "https://1.1.1.1/hook" in page and hook.secret in page
    client.force_login(receiver.user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://localhost:8000/",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_an_internal_address_is_refused_with_a_french_form_error(client, manager, address):
    client.force_login(manager.user)
    answer = client.post(reverse("referrals:webhooks"), {"url": address})
    assert answer.status_code == 400
    assert "Adresse refusée : elle désigne un réseau interne." in answer.content.decode()
    assert not Webhook.objects.exists()


def test_plain_http_is_refused_where_the_setting_forbids_it(client, manager, settings):
    settings.MAILLAGE_OUTBOUND_ALLOW_HTTP = False
    client.force_login(manager.user)
    answer = client.post(reverse("referrals:webhooks"), {"url": "http://1.1.1.1/hook"})
    assert answer.status_code == 400
    assert "seules les adresses https sont acceptées" in answer.content.decode()


def test_update_rotates_the_secret_and_deactivate_is_audited(client, manager):
    client.force_login(manager.user)
    client.post(reverse("referrals:webhooks"), {"url": "https://1.1.1.1/hook"})
    hook = Webhook.objects.get()
    old_secret = hook.secret
    edit = reverse("referrals:webhook_edit", args=[hook.pk])
    prefix = f"hook-{hook.pk}"
    answer = client.post(edit, {f"{prefix}-url": "http://192.168.0.10/"})
    assert answer.status_code == 400 and "réseau interne" in answer.content.decode()
    answer = client.post(
        edit, {f"{prefix}-url": "https://1.0.0.1/hook", f"{prefix}-rotate_secret": "on"}
    )
    assert answer.status_code == 302
    hook.refresh_from_db()
    assert hook.url == "https://1.0.0.1/hook" and hook.secret != old_secret
    entry = AuditEntry.objects.get(action="referrals.webhook.updated")
    assert entry.data["url"] == ["https://1.1.1.1/hook", "https://1.0.0.1/hook"]
    assert old_secret not in json.dumps(entry.data) and hook.secret not in json.dumps(entry.data)
    answer = client.post(reverse("referrals:webhook_deactivate", args=[hook.pk]))
    assert answer.status_code == 302
    assert not Webhook.objects.get().is_active
    assert AuditEntry.objects.filter(action="referrals.webhook.deactivated").count() == 1


def test_a_manager_of_another_operator_gets_404(client, manager, stranger):
    client.force_login(manager.user)
    client.post(reverse("referrals:webhooks"), {"url": "https://1.1.1.1/hook"})
    hook = Webhook.objects.get()
    other = MembershipFactory(organisation=stranger.organisation, manager=True)
    client.force_login(other.user)
    edit = reverse("referrals:webhook_edit", args=[hook.pk])
    assert client.post(edit, {f"hook-{hook.pk}-url": "https://8.8.8.8/"}).status_code == 404
    deactivate = reverse("referrals:webhook_deactivate", args=[hook.pk])
    assert client.post(deactivate).status_code == 404
    assert Webhook.objects.get().is_active and Webhook.objects.get().url == "https://1.1.1.1/hook"
    assert "1.1.1.1" not in client.get(reverse("referrals:webhooks")).content.decode()


def test_the_services_refuse_a_counsellor_and_a_duplicate(manager, receiver):
    from maillage.core.errors import DomainError, Forbidden
    from maillage.referrals import services

    with pytest.raises(Forbidden):
        services.webhook_create(membership=receiver, url="https://1.1.1.1/hook")
    hook = services.webhook_create(membership=manager, url="https://1.1.1.1/hook")
    with pytest.raises(DomainError, match="existe déjà"):
        services.webhook_create(membership=manager, url="https://1.1.1.1/hook")
    with pytest.raises(Forbidden):
        services.webhook_deactivate(membership=receiver, webhook_id=hook.pk)
    assert Webhook.objects.get().is_active
    assert AuditEntry.objects.filter(action__startswith="referrals.webhook.").count() == 1


def test_an_unknown_host_is_a_french_form_error(client, manager):
    client.force_login(manager.user)
    answer = client.post(reverse("referrals:webhooks"), {"url": "https://si.exemple.invalid/"})
    assert answer.status_code == 400
    assert "Nom d'hôte introuvable." in html.unescape(answer.content.decode())
