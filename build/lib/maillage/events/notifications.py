"""Emails to registrants: each one says what happened and carries the signed link (and an .ics)."""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from maillage.core.email import email_queue
from maillage.events.ics import IcsItem, calendar_bytes
from maillage.events.links import manage_url


def _location(event, *, for_registrant):
    parts = [p for p in (event.venue, event.address) if p]
    if for_registrant and event.online_url:
        parts.append(event.online_url)
    return ", ".join(parts)


def registrant_ics(event, registration, *, cancelled=False):
    """The event as the registrant's calendar sees it: with the online link, the manage link."""
    link = manage_url(registration)
    description = event.summary or event.title
    if event.online_url:
        description += f"\nLien de connexion : {event.online_url}"
    description += f"\nVoir ou annuler mon inscription : {link}"
    item = IcsItem(
        uid=f"evenement-{event.pk}@maillage",
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=_location(event, for_registrant=True),
        description=description,
        url=link,
        cancelled=cancelled,
        sequence=int(event.updated_at.timestamp()) if event.updated_at else 0,
    )
    method = "CANCEL" if cancelled else "PUBLISH"
    return calendar_bytes([item], name=event.title, method=method).decode()


def _render_and_send(
    template, registration, *, subject, ics=False, cancelled=False, extra=None, dedup_key=None
):
    event = registration.event
    context = {
        "event": event,
        "registration": registration,
        "manage_url": manage_url(registration),
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
        "location": _location(event, for_registrant=True),
        **(extra or {}),
    }
    body = render_to_string(f"events/emails/{template}.txt", context)
    attachments = []
    if ics:
        attachments.append(
            [
                "evenement.ics",
                registrant_ics(event, registration, cancelled=cancelled),
                "text/calendar",
            ]
        )
    email_queue(
        subject=subject,
        body=body,
        to=[registration.email],
        attachments=attachments,
        dedup_key=dedup_key,
    )


@task(takes_context=True)
def registration_email_task(
    context, *, registration_id, template, subject, ics=False, cancelled=False, extra=None
):
    """Render and send one email to a registrant (in the worker: never inside the seat lock)."""
    from maillage.events.models import Registration

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or not registration.email:
        return 0  # deleted or anonymised since: nothing to send
    extra = dict(extra or {})
    if "deadline" in extra:
        extra["deadline"] = timezone.localtime(datetime.fromisoformat(extra["deadline"]))
    _render_and_send(
        template,
        registration,
        subject=subject,
        ics=ics,
        cancelled=cancelled,
        extra=extra,
        # One email per queued notification, however often the task runs.
        dedup_key=f"task:{context.task_result.id}",
    )
    return 1


def _send(template, registration, *, subject, ics=False, cancelled=False, extra=None):
    """Queue the email when the transaction commits; the worker renders and sends it."""
    kwargs = {
        "registration_id": registration.pk,
        "template": template,
        "subject": subject,
        "ics": ics,
        "cancelled": cancelled,
        "extra": extra or {},
    }
    from maillage.events.services._common import enqueue_after_commit

    enqueue_after_commit(registration_email_task, **kwargs)


def notify_confirmed(registration):
    _send(
        "confirmed",
        registration,
        subject=f"Inscription confirmée : {registration.event.title}",
        ics=True,
    )


def notify_waitlisted(registration, position):
    _send(
        "waitlisted",
        registration,
        subject=f"Liste d'attente : {registration.event.title}",
        extra={"position": position},
    )


def notify_offered(registration):
    _send(
        "offered",
        registration,
        subject=f"Une place s'est libérée : {registration.event.title}",
        ics=True,
        extra={"deadline": registration.offer_expires_at.isoformat()},
    )


def notify_offer_expired(registration):
    _send(
        "offer_expired", registration, subject=f"Place non confirmée : {registration.event.title}"
    )


def notify_cancelled(registration):
    _send(
        "cancelled",
        registration,
        subject=f"Inscription annulée : {registration.event.title}",
        ics=True,
        cancelled=True,
    )


def notify_event_cancelled(registration):
    _send(
        "event_cancelled",
        registration,
        subject=f"Évènement annulé : {registration.event.title}",
        ics=True,
        cancelled=True,
    )


def notify_existing(registration):
    """Someone registered again with this address: send the link again, never to the form."""
    _send("existing", registration, subject=f"Votre inscription : {registration.event.title}")


def notify_reminder(registration):
    _send("reminder", registration, subject=f"Rappel : {registration.event.title}", ics=True)


def notify_survey(registration):
    _send("survey", registration, subject=f"Votre avis sur « {registration.event.title} »")
