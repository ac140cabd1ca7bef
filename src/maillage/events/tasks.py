"""Worker jobs of the events area; `maillage tick` queues them. Each is safe to run twice."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maillage.core.audit import audit_log
from maillage.events import notifications
from maillage.events.enums import EventStatus, RegistrationStatus
from maillage.events.models import Event, Registration
from maillage.events.services.registrations import offers_expire_due

# How far back the survey still goes out (a worker that was down for a while catches up).
SURVEY_WINDOW = timedelta(days=14)


def _claim(registration_id, field, now):
    """Mark one email as sent, exactly once even if two workers race (conditional update)."""
    return Registration.objects.filter(pk=registration_id, **{f"{field}__isnull": True}).update(
        **{field: now}
    )


@task()
def offers_expire_task():
    return offers_expire_due()


def reminders_send(now=None):
    now = now or timezone.now()
    sent = 0
    horizon = now + timedelta(days=31)
    events = Event.objects.filter(
        status__in=[EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED],
        starts_at__gt=now,
        starts_at__lte=horizon,
    )
    for event in events:
        if event.reminder_days == 0 or event.starts_at - timedelta(days=event.reminder_days) > now:
            continue
        due = event.registrations.filter(
            status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True
        )
        for registration in due:
            with transaction.atomic():
                if _claim(registration.pk, "reminder_sent_at", now):
                    registration.event = event
                    notifications.notify_reminder(registration)
                    sent += 1
    return sent


def surveys_send(now=None):
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(
        status__in=[EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.HELD],
        ends_at__lte=now,
        ends_at__gt=now - SURVEY_WINDOW,
    )
    for event in events:
        due = event.registrations.filter(
            status__in=[RegistrationStatus.ATTENDED, RegistrationStatus.CONFIRMED],
            survey_sent_at__isnull=True,
        )
        for registration in due:
            with transaction.atomic():
                if _claim(registration.pk, "survey_sent_at", now):
                    registration.event = event
                    notifications.notify_survey(registration)
                    sent += 1
    return sent


def _months_before(moment, months):
    year, month = divmod(moment.month - 1 - months, 12)
    day = min(moment.day, 28)
    return moment.replace(year=moment.year + year, month=month + 1, day=day)


def personal_data_purge(now=None):
    """Erase registrants' personal data N months after the event; statuses and counts stay."""
    now = now or timezone.now()
    months = getattr(settings, "MAILLAGE_EVENT_RETENTION_MONTHS", 12)
    cutoff = _months_before(now, months)
    purged = 0
    for event in Event.objects.filter(ends_at__lt=cutoff, personal_data_purged_at__isnull=True):
        with transaction.atomic():
            count = event.registrations.filter(anonymised_at__isnull=True).update(
                first_name="",
                last_name="",
                email="",
                phone="",
                answers={},
                survey_comment="",
                user=None,
                anonymised_at=now,
            )
            Event.objects.filter(pk=event.pk).update(personal_data_purged_at=now)
            audit_log(
                actor=None,
                action="events.event.personal_data_purged",
                obj=event,
                organisation=event.lead_organisation,
                data={"registrations": count, "months": months},
            )
            purged += count
    return purged


@task()
def reminders_send_task():
    return reminders_send()


@task()
def surveys_send_task():
    return surveys_send()


@task()
def personal_data_purge_task():
    return personal_data_purge()


# Queued by `maillage tick` and the scheduler (collected by `maillage.jobs.schedule`).
PERIODIC_TASKS = [
    offers_expire_task,
    reminders_send_task,
    surveys_send_task,
    personal_data_purge_task,
]
