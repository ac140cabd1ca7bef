"""Queue a task as part of the current transaction: the work is accepted with the change."""

from django.conf import settings
from django.db import transaction
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend


def enqueue_with_transaction(task, **kwargs):
    """On the database queue the task row commits (or rolls back) with the caller's writes,
    so no accepted work is lost between a commit and a queue; another backend queues on commit.
    """
    if isinstance(task_backends[task.backend], DatabaseBackend):
        return task.enqueue(**kwargs)
    transaction.on_commit(lambda: task.enqueue(**kwargs))
    return None


def is_broker_backend(backend_name):
    """The backend is the broker queue (RQ), not the database one."""
    if not settings.MAILLAGE_TASK_BROKER_URL:
        return False
    from maillage.jobs.broker import is_broker_backend as broker

    return broker(backend_name)


def parked_requeue(db_result):
    from maillage.jobs.broker import parked_requeue as requeue

    return requeue(db_result)
