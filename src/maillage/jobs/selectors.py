"""Reads on background tasks: the parked ones a person may see, and the queue's health."""

import contextlib
from importlib import import_module

from django.conf import settings
from django.db.models import Min
from django.http import Http404
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maillage.accounts.enums import Role
from maillage.core.errors import Forbidden
from maillage.jobs.models import TaskRecord, WorkerHeartbeat
from maillage.jobs.policy import policy_for


def parked_tasks_visible_to(membership):
    """Coordinators see every parked task; a manager those of their operator; others none."""
    records = TaskRecord.objects.filter(parked_at__isnull=False).select_related("task_result")
    if membership is None:
        raise Forbidden("Votre rôle ne permet pas d'ouvrir cette page.")
    if membership.role == Role.COORDINATOR:
        return records.order_by("-parked_at")
    if membership.role == Role.MANAGER:
        return records.filter(owner_organisation_id=membership.organisation_id).order_by(
            "-parked_at"
        )
    raise Forbidden("Votre rôle ne permet pas d'ouvrir cette page.")


def parked_task_get(membership, pk):
    record = parked_tasks_visible_to(membership).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def task_label(record):
    path = record.task_result.task_path
    # The policy is declared where the task is: its module may not be loaded in this process.
    with contextlib.suppress(ImportError):
        import_module(path.rsplit(".", 1)[0])
    policy = policy_for(path)
    return policy.label or record.task_result.task_path.rsplit(".", 1)[-1]


def queue_health():
    """Figures for `/readyz`: lag of the oldest due task, last heartbeat, parked count."""
    if settings.MAILLAGE_TASK_BROKER_URL:
        from maillage.jobs.broker import broker_queue_health

        return broker_queue_health()
    now = timezone.now()
    due = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    beat = (
        WorkerHeartbeat.objects.order_by("-last_seen_at")
        .values_list("last_seen_at", flat=True)
        .first()
    )
    return {
        "queue_lag_seconds": round((now - due).total_seconds(), 1) if due else 0.0,
        "ready": DBTaskResult.objects.ready().count(),
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        "failed": TaskRecord.objects.filter(parked_at__isnull=False).count(),
        "worker_heartbeat_age_seconds": round((now - beat).total_seconds(), 1) if beat else None,
    }
