"""Queue a task as part of the current transaction: the work is accepted with the change."""

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
