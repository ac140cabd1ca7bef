"""Emails go out through the worker: services queue them once their transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


@task()
def send_email(*, subject, body, to, html=None, attachments=None, reply_to=None):
    """Send one email. `attachments` is a list of [filename, text content, mimetype]."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=reply_to or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
    return len(message.to)


def email_queue(*, subject, body, to, html=None, attachments=None, reply_to=None):
    """Queue an email for the worker when the current transaction commits (never before)."""
    kwargs = {
        "subject": subject,
        "body": body,
        "to": list(to),
        "html": html,
        "attachments": [list(a) for a in attachments or []],
        "reply_to": list(reply_to or []),
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))
