"""A worker SIGKILLed in the middle of a batch of emails and webhooks, then restarted: every
one is done, none twice (each email once per Message-ID, each delivery under one webhook-id)."""

import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.faults.harness import SmtpPeer, free_port, wait_until

QUEUE = """
from maillage.core.email import email_queue
from maillage.partners.models import Organisation
from maillage.referrals.models import Webhook, WebhookDelivery
from maillage.referrals.services.webhooks import secret_new
from maillage.referrals.webhooks import deliver_webhook

for n in range(20):
    email_queue(subject=f"Message {{n}}", body="Bonjour", to=[f"p{{n}}@exemple.fr"])
org = Organisation.objects.create(name="Opérateur test", slug="operateur-test", kind="operator")
hook = Webhook.objects.create(organisation=org, url="{url}", secret=secret_new())
for n in range(10):
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="referral.sent", payload={{"n": n}}
    )
    deliver_webhook.enqueue(delivery_id=delivery.pk)
"""


class Receiver(ThreadingHTTPServer):
    """An operator's system: records each POST's webhook-id; holds the n-th until released."""

    daemon_threads = True

    def __init__(self, port, hold_request_of):
        self.ids, self.hold_request_of = [], hold_request_of
        self.holding, self.released = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), Handler)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.ids.append(self.headers["webhook-id"])
            count = len(self.server.ids)
        if count == self.server.hold_request_of:
            self.server.holding.set()
            self.server.released.wait(30)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_worker_killed_mid_batch_of_emails_and_webhooks_loses_nothing(
    instance_factory, task_backend
):
    smtp_port, hook_port = free_port(), free_port()
    instance = instance_factory(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        MAILLAGE_OUTBOUND_ALLOWED_NETWORKS="127.0.0.1/32",
    )
    instance.manage("migrate", "--noinput")
    instance.shell(QUEUE.format(url=f"http://127.0.0.1:{hook_port}/maillage"))
    peer = SmtpPeer(smtp_port).start()
    receiver = Receiver(hook_port, hold_request_of=5)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        worker = instance.worker()
        wait_until(receiver.holding.is_set, timeout=60, what="le worker livre le 5e webhook")
        os.killpg(worker.pid, signal.SIGKILL)  # in the middle of the POST
        worker.wait(timeout=10)
        receiver.released.set()
        instance.worker()
        wait_until(
            lambda: (
                instance.sql(
                    "SELECT count(*) FROM referrals_webhookdelivery WHERE status = 'delivered'"
                )
                == 10
                and instance.sql(
                    "SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NOT NULL"
                )
                == 20
            ),
            timeout=120,
            what="10 webhooks livrés et 20 e-mails partis après le redémarrage",
        )
    finally:
        peer.stop()
        receiver.shutdown()
    assert len(peer.message_ids) == 20 and len(set(peer.message_ids)) == 20
    # The delivery interrupted by the kill may reach the receiver twice, under the same id:
    # Standard Webhooks receivers keep one (the same delivery), never two different ones.
    assert len(set(receiver.ids)) == 10
    assert len(receiver.ids) - len(set(receiver.ids)) <= 1
    assert instance.sql("SELECT count(*) FROM jobs_taskrecord WHERE parked_at IS NOT NULL") == 0
