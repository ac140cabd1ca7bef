"""Beside django-tasks' rows: the workers' heartbeats, attempts and parked tasks."""

from django.db import models
from django_tasks_db.models import DBTaskResult


class WorkerHeartbeat(models.Model):
    """One row per running worker; a task whose worker stopped beating is taken up again."""

    worker_id = models.CharField("worker", max_length=64, primary_key=True)
    hostname = models.CharField("machine", max_length=200, blank=True)
    pid = models.PositiveIntegerField("processus", default=0)
    started_at = models.DateTimeField("démarré le", auto_now_add=True)
    last_seen_at = models.DateTimeField("dernier signe de vie", db_index=True)
    # The task this worker holds, set in the transaction that claims it: a RUNNING task that
    # no live worker holds is an abandoned one.
    current_task_id = models.UUIDField("tâche en cours", null=True, blank=True)

    class Meta:
        verbose_name = "worker"
        verbose_name_plural = "workers"

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class TaskRecord(models.Model):
    """Attempts and the last French reason of one task; `parked_at` once it is given up."""

    task_result = models.OneToOneField(
        DBTaskResult,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="record",
        verbose_name="tâche",
    )
    attempts = models.PositiveIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    parked_at = models.DateTimeField("mise en échec le", null=True, blank=True, db_index=True)
    # Whose managers may see and retry it (a webhook's operator); None: coordinators only.
    owner_organisation_id = models.BigIntegerField("organisation", null=True, blank=True)
    retried_count = models.PositiveIntegerField("relances manuelles", default=0)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "suivi de tâche"
        verbose_name_plural = "suivis de tâches"
        indexes = [models.Index(fields=["owner_organisation_id", "parked_at"])]

    def __str__(self):
        return f"{self.task_result_id} ({self.attempts} tentative(s))"


class ScheduledRun(models.Model):
    """A periodic task queued for one time slot: two schedulers never queue it twice."""

    task_path = models.CharField("tâche", max_length=200)
    slot = models.DateTimeField("créneau")
    queued_at = models.DateTimeField("mise en file le", auto_now_add=True)

    class Meta:
        verbose_name = "exécution planifiée"
        verbose_name_plural = "exécutions planifiées"
        constraints = [
            models.UniqueConstraint(fields=["task_path", "slot"], name="jobs_scheduled_run_once")
        ]

    def __str__(self):
        return f"{self.task_path} @ {self.slot:%Y-%m-%d %H:%M}"
