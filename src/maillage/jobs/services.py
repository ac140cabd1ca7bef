"""Writes on background tasks: « Relancer » a parked task."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus

from maillage.core.audit import audit_log
from maillage.core.errors import Conflict
from maillage.jobs.models import TaskRecord
from maillage.jobs.queue import is_broker_backend, parked_requeue


def task_retry(*, actor, record):
    """Queue a parked task again now, its attempts counted afresh (audited)."""
    with transaction.atomic():
        record = (
            TaskRecord.objects.select_for_update().select_related("task_result").get(pk=record.pk)
        )
        db_result = record.task_result
        if record.parked_at is None or db_result.status != TaskResultStatus.FAILED:
            raise Conflict("Cette tâche n'est plus en échec : elle a déjà été relancée.")
        audit_log(
            actor=actor,
            action="jobs.task.retried",
            data={"task": db_result.task_path.rsplit(".", 1)[-1], "id": str(db_result.pk)},
        )
        if is_broker_backend(db_result.backend_name):
            # Parked by the broker queue: queued there again (on commit), its row removed.
            parked_requeue(db_result)
            return record
        db_result.status = TaskResultStatus.READY
        db_result.run_after = timezone.now()
        db_result.finished_at = None
        db_result.save(update_fields=["status", "run_after", "finished_at"])
        TaskRecord.objects.filter(pk=record.pk).update(
            parked_at=None, attempts=0, retried_count=F("retried_count") + 1
        )
    return record
