"""A task that cannot be done is parked in « Tâches en échec » with its French reason, on the
database queue as on the broker, and « Relancer » gets it done once."""

import json

from tests.faults.harness import SmtpPeer, free_port, wait_until

QUEUE = """
from maillage.core.email import email_queue
email_queue(subject="Refusé", body="Bonjour", to=["refus@exemple.fr"], dedup_key="parking:1")
"""

PARKED = """
import json
from maillage.jobs.models import TaskRecord
from maillage.jobs.selectors import task_label
rows = [
    {"reason": r.last_error, "label": task_label(r), "status": r.task_result.status}
    for r in TaskRecord.objects.filter(parked_at__isnull=False).select_related("task_result")
]
print(json.dumps(rows))
"""

RETRY = """
from maillage.jobs.models import TaskRecord
from maillage.jobs.services import task_retry
task_retry(actor=None, record=TaskRecord.objects.get(parked_at__isnull=False))
"""


class RefusingPeer(SmtpPeer):
    """Refuses every recipient (a permanent failure) until `accept()`."""

    refusing = True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "550 Adresse inconnue"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def _parked(instance):
    return json.loads(instance.shell(PARKED).strip().splitlines()[-1])


def test_a_refused_email_is_parked_with_its_reason_and_sent_once_after_relancer(
    instance_factory, task_backend
):
    port = free_port()
    instance = instance_factory(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
    )
    instance.manage("migrate", "--noinput")
    peer = RefusingPeer(port).start()
    try:
        instance.shell(QUEUE)
        instance.worker()
        wait_until(lambda: _parked(instance), timeout=90, what="l'e-mail refusé mis en échec")
        [parked] = _parked(instance)
        assert parked == {
            "reason": "le serveur d'e-mails a refusé l'adresse du destinataire",
            "label": "Envoi d'un e-mail",
            "status": "FAILED",
        }
        assert instance.sql("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NULL") == 1
        peer.refusing = False
        instance.shell(RETRY)  # « Relancer »
        wait_until(
            lambda: (
                instance.sql("SELECT count(*) FROM core_outgoingemail WHERE sent_at IS NOT NULL")
                == 1
            ),
            timeout=90,
            what="l'e-mail relancé est parti",
        )
    finally:
        peer.stop()
    assert len(peer.message_ids) == 1
    assert _parked(instance) == []
