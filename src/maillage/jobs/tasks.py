"""Housekeeping of the queue itself: finished rows purged, sent emails' traces removed."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maillage.core.models import OutgoingEmail


@task()
def finished_tasks_purge():
    """Delete successful task rows after the retention period; parked ones after 90 days."""
    now = timezone.now()
    keep = timedelta(days=settings.MAILLAGE_TASK_RETENTION_DAYS)
    done, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep
    ).delete()
    parked, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - timedelta(days=90)
    ).delete()
    emails, _ = OutgoingEmail.objects.filter(sent_at__lt=now - keep).delete()
    return {"tasks": done, "parked": parked, "emails": emails}


@task()
def broker_orphans_requeue():
    """On the broker queue: outbox emails and webhook deliveries left without a job."""
    from django.conf import settings

    if not settings.MAILLAGE_TASK_BROKER_URL:
        return 0
    from maillage.jobs.broker import orphans_requeue

    return orphans_requeue()


# The queue's own housekeeping, queued like every area's (collected by `maillage.jobs.schedule`).
PERIODIC_TASKS = [finished_tasks_purge, broker_orphans_requeue]
