"""Text messages (SMS): an interface with a console backend for the demo and the tests.

`sms_queue(notice_id=)` is called in the caller's transaction; the worker's task
`deliver_sms` reads the text from the referral's notice row (the queue carries only its id),
sends it through `MAILLAGE_SMS_BACKEND` and erases the text. A real provider is one class with
a `send(to, body)` method, named by that setting.
"""

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from maillage.jobs.policy import retry_policy
from maillage.jobs.queue import enqueue_with_transaction

log = logging.getLogger("maillage.sms")
SENT = []  # what the console backend sent in this process (the tests read it)


class ConsoleBackend:
    """Writes the text to the log (and keeps it in `SENT`): nothing leaves the machine."""

    def send(self, to, body):
        SENT.append((to, body))
        log.info("SMS vers %s : %s", to, body)


def backend():
    return import_string(settings.MAILLAGE_SMS_BACKEND)()


@retry_policy(max_attempts=5, base_seconds=60, max_seconds=3600, label="Envoi d'un SMS")
@task()
def deliver_sms(*, notice_id):
    from maillage.referrals.models import PersonNotice

    notice = PersonNotice.objects.select_related("referral").filter(pk=notice_id).first()
    if notice is None or notice.sent_at is not None or not notice.referral.phone:
        return 0
    backend().send(notice.referral.phone, notice.body)
    PersonNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now(), body="")
    return 1


def sms_queue(*, notice_id):
    enqueue_with_transaction(deliver_sms, notice_id=notice_id)
