"""Emails go out through the worker, from an outbox row written with the change they report.

`email_queue` writes an `OutgoingEmail` in the caller's transaction and queues its id (the
queue never carries a body or an address). `deliver_email` sends it once: its Message-ID is
derived from the row's deduplication key, a delivered row is skipped, and its content is
erased once sent. SMTP failures are retried by the worker, then parked with a French reason.
"""

import contextlib
import smtplib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maillage.jobs.errors import TaskFailure
from maillage.jobs.policy import retry_policy
from maillage.jobs.queue import enqueue_with_transaction


def message_id_of(dedup_key):
    domain = urlsplit(settings.SITE_URL).hostname or "maillage.local"
    return f"<{uuid.uuid5(uuid.NAMESPACE_URL, dedup_key)}@{domain}>"


@retry_policy(max_attempts=10, base_seconds=30, max_seconds=3600, label="Envoi d'un e-mail")
@task()
def deliver_email(*, email_id):
    """Send one outbox email; idempotent (a sent or erased email is left alone)."""
    from maillage.core.models import OutgoingEmail

    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or email.sent_at is not None:
        return 0
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
        reply_to=list(email.reply_to) or None,
        headers={**email.headers, "Message-ID": message_id_of(email.dedup_key)},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for filename, content, mimetype in email.attachments:
        message.attach(filename, content, mimetype)
    # The row is marked sent as soon as the server has accepted the message (its answer to
    # DATA), before the connection is closed: a worker killed after that moment and before the
    # mark sends the email again on its next attempt (SMTP has no two-phase commit; the copy
    # carries the same Message-ID). Closing (QUIT) is kept out of that window.
    connection = get_connection()
    try:
        connection.open()
        message.connection = connection
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise TaskFailure(
            "le serveur d'e-mails a refusé l'adresse du destinataire", permanent=True
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TaskFailure("le serveur d'e-mails est injoignable pour le moment") from error
    else:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            sent_at=timezone.now(), body="", html="", attachments=[]
        )
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return len(message.to)


def email_queue(
    *, subject, body, to, html=None, attachments=None, reply_to=None, dedup_key=None, headers=None
):
    """Accept an email for sending, in the current transaction (nothing leaves before commit).

    `dedup_key` names the email once (e.g. `"referral:12:received"`): accepting the same key
    again does nothing, so a job that runs twice sends one email.
    """
    from maillage.core.models import OutgoingEmail

    with transaction.atomic():
        email, created = OutgoingEmail.objects.get_or_create(
            dedup_key=dedup_key or f"email:{uuid.uuid4()}",
            defaults={
                "subject": str(subject)[:300],
                "body": body,
                "html": html or "",
                "to": list(to),
                "reply_to": list(reply_to or []),
                "attachments": [list(a) for a in attachments or []],
                "headers": dict(headers or {}),
            },
        )
        if created:
            enqueue_with_transaction(deliver_email, email_id=email.pk)
    return email
