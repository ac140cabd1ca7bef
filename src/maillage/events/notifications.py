"""Emails to registrants: each one says what happened and carries the signed link (and an .ics)."""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from maillage.core import ical
from maillage.core.email import email_queue
from maillage.core.email_html import html_from_text
from maillage.core.scoping import scopes_disabled
from maillage.events import ics
from maillage.events.enums import RegistrationStatus
from maillage.events.links import manage_url


def registrant_ics(event, registration, *, cancelled=False, sequence=None):
    """(method, text) of the event as the registrant's calendar sees it (with the online link)."""
    return ics.registrant_calendar(
        event,
        registration,
        manage_link=manage_url(registration),
        cancelled=cancelled,
        sequence=sequence,
    )


def _render_and_send(
    template,
    registration,
    *,
    subject,
    with_ics=False,
    cancelled=False,
    extra=None,
    dedup_key=None,
    sequence=None,
):
    event = registration.event
    context = {
        "event": event,
        "registration": registration,
        "manage_url": manage_url(registration),
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
        "location": ics.registrant_location(event),
        "ics": with_ics,
        **(extra or {}),
    }
    body = render_to_string(f"events/emails/{template}.txt", context)
    attachments = []
    if with_ics:
        method, content = registrant_ics(
            event, registration, cancelled=cancelled, sequence=sequence
        )
        attachments.append(ical.attachment("evenement.ics", content, method=method))
    email_queue(
        subject=subject,
        body=body,
        html=html_from_text(body, title=subject),
        to=[registration.email],
        attachments=attachments,
        dedup_key=dedup_key,
    )


@task(takes_context=True)
@scopes_disabled()
def registration_email_task(
    context,
    *,
    registration_id,
    template,
    subject,
    ics=False,
    cancelled=False,
    extra=None,
    sequence=None,
    dedup=None,
):
    """Render and send one email to a registrant (in the worker: never inside the seat lock)."""
    from maillage.events.models import Registration

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or not registration.email:
        return 0  # deleted or anonymised since: nothing to send
    extra = dict(extra or {})
    if "deadline" in extra:
        extra["deadline"] = timezone.localtime(datetime.fromisoformat(extra["deadline"]))
    if "previous_starts_at" in extra:
        extra["previous_starts_at"] = timezone.localtime(
            datetime.fromisoformat(extra["previous_starts_at"])
        )
    _render_and_send(
        template,
        registration,
        subject=subject,
        with_ics=ics,
        cancelled=cancelled,
        extra=extra,
        sequence=sequence,
        # One email per fact: a change of the event is keyed by its SEQUENCE; any other
        # notification by its queued task, however often the task runs.
        dedup_key=dedup or f"task:{context.task_result.id}",
    )
    return 1


def _send(
    template,
    registration,
    *,
    subject,
    ics=False,
    cancelled=False,
    extra=None,
    sequence=None,
    dedup=None,
):
    """Queue the email when the transaction commits; the worker renders and sends it.

    `sequence` fixes the calendar SEQUENCE of the attached invitation when it is queued, so
    a retry sends the same file.
    """
    kwargs = {
        "registration_id": registration.pk,
        "template": template,
        "subject": subject,
        "ics": ics,
        "cancelled": cancelled,
        "extra": extra or {},
        "sequence": registration.event.ics_sequence if sequence is None else sequence,
        "dedup": dedup,
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
    """The registrant's own cancellation: a CANCEL of the same UID with a raised SEQUENCE."""
    sequence = sequence_raise(registration.event)
    _send(
        "cancelled",
        registration,
        subject=f"Inscription annulée : {registration.event.title}",
        ics=True,
        cancelled=True,
        sequence=sequence,
    )


def notify_cancelled_by_organiser(registration, *, message=""):
    """An organiser cancelled this person's registration: their message and a CANCEL."""
    sequence = sequence_raise(registration.event)
    _send(
        "cancelled_by_organiser",
        registration,
        subject=f"Inscription annulée par l'organisation : {registration.event.title}",
        ics=True,
        cancelled=True,
        sequence=sequence,
        extra={"message": message},
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


def sequence_raise(event):
    """Raise the event's stored SEQUENCE (in the caller's transaction) and return it."""
    from django.db.models import F

    from maillage.events.models import Event

    Event.objects.filter(pk=event.pk).update(ics_sequence=F("ics_sequence") + 1)
    event.ics_sequence = Event.objects.values_list("ics_sequence", flat=True).get(pk=event.pk)
    return event.ics_sequence


# Registrants whose calendar holds the event (they received an invitation).
HOLDING_INVITATION = ("confirmed", "offered", "attended", "no_show")


@scopes_disabled()
def notify_event_changed(event, *, fields, previous_starts_at=None):
    """Tell every registrant that the time, place or link changed, with the new invitation.

    Called by `event_update` after it raised the SEQUENCE: each email is keyed by the event,
    the registration and the SEQUENCE, so the same change is sent once.
    """
    from maillage.events.models import Registration

    what = [
        label
        for label, names in (
            ("l'horaire", ("starts_at", "ends_at")),
            ("le lieu", ("venue", "address")),
            ("le lien de connexion", ("online_url",)),
        )
        if set(names) & set(fields)
    ]
    extra = {"changes": what}
    if previous_starts_at is not None:
        extra["previous_starts_at"] = previous_starts_at.isoformat()
    active = (
        Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exclude(email="")
        .select_related("event")
        .order_by("pk")
    )
    for registration in active:
        _send(
            "updated",
            registration,
            subject=f"Modification : {event.title}",
            ics=registration.status in HOLDING_INVITATION,
            extra=extra,
            sequence=event.ics_sequence,
            dedup=f"events:{event.pk}:registration:{registration.pk}:sequence:{event.ics_sequence}",
        )
