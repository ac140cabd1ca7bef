"""The broker queue: the same `@task()` code on RQ (Redis) through django-tasks-rq, with the
guarantees of the database queue (`maillage.jobs.worker`).

Chosen when `MAILLAGE_TASK_BROKER_URL` is a `redis://` address (settings.py). What it adds to
django-tasks-rq:

- retries: each job is queued with RQ's `Retry`, its intervals drawn from the task's
  `@retry_policy` (exponential back-off with full jitter, at least one second); RQ's scheduler
  (run by the workers) queues them again when due;
- failures: `job_failed` counts the attempt (a database outage does not count), keeps the French
  reason in the job's meta, parks a permanent failure at once, and, on the last attempt, parks
  the task in the database (`DBTaskResult` FAILED + `TaskRecord`), so that « Tâches en échec »
  shows it with its reason and « Relancer » queues it again on the broker;
- leases: each worker refreshes a short-lived Redis key while it lives; a job in RQ's
  `StartedJobRegistry` whose worker's key has expired (the worker was SIGKILLed, its machine
  lost) is taken up again by any other worker's reaper, once (the registry entry is removed
  atomically), as an attempt lost, not refused. RQ's own clean-up (job timeout + 60 s) stays
  as a backstop.
"""

import contextlib
import logging
import os
import socket
import threading
import traceback
import uuid
from datetime import UTC, timedelta

import django_rq
from django.db import close_old_connections, connection
from django.db import transaction as db_transaction
from django.utils import timezone
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from rq import Retry, SimpleWorker
from rq.job import Callback, JobStatus
from rq.scheduler import RQScheduler
from rq.utils import parse_composite_key

from maillage.jobs.errors import (
    TaskFailure,
    error_describe,
    error_is_outage,
    error_is_permanent,
)
from maillage.jobs.policy import policy_for

logger = logging.getLogger("maillage.worker")

LEASE_KEY = "maillage:worker-lease:{}"
SCHEDULER_LEASE_KEY = "maillage:scheduler-lease:{}"
LOST = "le worker s'est arrêté pendant la tâche ; elle a été reprise"


def lease_seconds():
    from maillage.jobs.worker import lease_seconds as seconds

    return seconds()


def _aware(moment):
    """RQ's datetimes are UTC; some come back from Redis without their zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def retry_intervals(policy):
    """Seconds before each retry (RQ counts whole seconds): the policy's back-off, drawn now."""
    return [max(1, round(policy.delay_before(n))) for n in range(1, policy.max_attempts)]


class BrokerJob(Job):
    """django-tasks-rq's job, with Django's connection hygiene around each task (as a request)."""

    def perform(self):
        close_old_connections()
        try:
            return super().perform()
        finally:
            close_old_connections()


class BrokerBackend(RQBackend):
    """django-tasks-rq, queuing each task with its retry policy and Maillage's callbacks."""

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        policy = policy_for(task.module_path)
        # A UUID, as on the database queue: a parked task keeps its id in « Tâches en échec ».
        task_result = TaskResult(
            task=task,
            id=str(uuid.uuid4()),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=BrokerJob)
        options = {}
        if policy.max_attempts > 1:
            options["retry"] = Retry(max=policy.max_attempts - 1, interval=retry_intervals(policy))
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(job_failed),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias, "attempts": 0},
            # Results are kept a day; what a person must see of a failure is in the database.
            result_ttl=24 * 3600,
            failure_ttl=7 * 24 * 3600,
            **options,
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result


def job_failed(job, connection, exc_type, exc_value, tb):
    """RQ's failure callback (in the worker, before RQ retries or fails the job)."""
    with contextlib.suppress(Exception):
        failed_callback(job, connection, exc_type, exc_value, tb)  # django-tasks' signal
    outage = error_is_outage(exc_value)
    if outage and job.retries_left is not None:
        job.retries_left += 1  # the database was away: this attempt does not count
    job.meta["attempts"] = job.meta.get("attempts", 0) + (0 if outage else 1)
    job.meta["last_error"] = error_describe(exc_value)
    job.save_meta()
    if error_is_permanent(exc_value):
        job.retries_left = 0
    if not job.retries_left:
        job_park(job, exc_value)


def job_park(job, error):
    """Given up: a FAILED task row and its record, shown in « Tâches en échec »."""
    from django_tasks_db.models import DBTaskResult

    from maillage.jobs.models import TaskRecord
    from maillage.jobs.worker import task_park

    policy = policy_for(job.func_name)
    now = timezone.now()
    with db_transaction.atomic():
        db_result, _ = DBTaskResult.objects.update_or_create(
            id=uuid.UUID(job.id),
            defaults={
                "status": TaskResultStatus.FAILED,
                "args_kwargs": {"args": list(job.args), "kwargs": dict(job.kwargs)},
                "task_path": job.func_name,
                "queue_name": job.origin,
                "backend_name": job.meta.get("backend_name", "default"),
                "run_after": now,
                "started_at": job.started_at,
                "finished_at": now,
                "exception_class_path": f"{type(error).__module__}.{type(error).__qualname__}",
                "traceback": "".join(traceback.format_exception_only(error))[:2000],
            },
        )
        record, _ = TaskRecord.objects.get_or_create(task_result=db_result)
        record.attempts = job.meta.get("attempts", 0)
        record.last_error = job.meta.get("last_error", error_describe(error))
        task_park(db_result, record, policy)
    logger.warning("Tâche %s mise en échec : %s", job.id, record.last_error)


def parked_requeue(db_result):
    """« Relancer » for a task parked by the broker: queued again there, its row removed."""
    task = db_result.task
    kwargs = db_result.args_kwargs.get("kwargs", {})
    args = db_result.args_kwargs.get("args", [])
    db_result.delete()
    db_transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def is_broker_backend(backend_name):
    from django_tasks import task_backends

    return isinstance(task_backends[backend_name], BrokerBackend)


# --- leases and the reaper ---------------------------------------------------------------------
def abandoned_requeue(queue):
    """Take up again the started jobs whose worker's lease has expired; returns how many."""
    redis = queue.connection
    registry = queue.started_job_registry
    cutoff = timezone.now() - timedelta(seconds=lease_seconds())
    reclaimed = 0
    for entry in redis.zrange(registry.key, 0, -1):
        job_id, _execution = parse_composite_key(entry.decode())
        job = queue.fetch_job(job_id)
        if job is None:
            redis.zrem(registry.key, entry)
            continue
        if job.worker_name and redis.exists(LEASE_KEY.format(job.worker_name)):
            continue
        started = _aware(job.started_at or job.enqueued_at)
        if started is not None and started > cutoff:
            continue
        if not redis.zrem(registry.key, entry):
            continue  # another worker's reaper took it first
        lost = TaskFailure(LOST)
        job_failed(job, redis, TaskFailure, lost, None)
        with redis.pipeline() as pipeline:
            if job.retries_left:
                # Taken up again at once: the attempt was lost, not refused.
                job.retries_left -= 1
                queue._enqueue_job(job, pipeline=pipeline)
            else:
                job.set_status(JobStatus.FAILED, pipeline=pipeline)
                job._handle_failure(LOST, pipeline, worker_name="")
            pipeline.execute()
        reclaimed += 1
    if reclaimed:
        logger.warning("%d tâche(s) abandonnée(s) par un worker arrêté : reprises.", reclaimed)
    return reclaimed


class BrokerWorker(SimpleWorker):
    """An RQ worker (no fork: Django's connections stay the process's own) with a lease key, a
    heartbeat row for `/readyz`, the reaper, and RQ's scheduler for the retries that are due.

    SIGTERM lets the current task finish, then the worker exits (RQ's warm shutdown)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lease_stop = threading.Event()
        self._orphan_scheduler = None

    def _beat(self):
        ttl = int(lease_seconds() * 1000)
        self.connection.set(LEASE_KEY.format(self.name), os.getpid(), px=ttl)
        scheduler = getattr(self, "scheduler", None)
        if scheduler is not None and scheduler._process and scheduler._process.is_alive():
            self.connection.set(SCHEDULER_LEASE_KEY.format(scheduler.name), self.name, px=ttl)

    def _scheduler_lock_reclaim(self, queue):
        """RQ's scheduler lock lives 61 s after its worker died: the retries that are due wait
        that long. A holder seen twice, a lease apart, without a lease is dead: free its lock,
        so that a live worker's scheduler takes over (RQ's maintenance, every few seconds)."""
        key = RQScheduler.get_locking_key(queue.name)
        holder = self.connection.get(key)
        if holder is None:
            self._orphan_scheduler = None
            self._scheduler_take_over()
            return
        if self.connection.exists(SCHEDULER_LEASE_KEY.format(holder.decode())):
            self._orphan_scheduler = None
            return
        if self._orphan_scheduler == holder and self.connection.get(key) == holder:
            self.connection.delete(key)
            logger.warning("Planificateur d'un worker arrêté : son verrou est libéré.")
            self._orphan_scheduler = None
            self._scheduler_take_over()
            return
        self._orphan_scheduler = holder

    def _scheduler_take_over(self):
        scheduler = getattr(self, "scheduler", None)
        if scheduler is None or (scheduler._process and scheduler._process.is_alive()):
            return
        if scheduler.acquire_locks(auto_start=True):
            logger.warning("Ce worker reprend le planificateur des relances.")

    def _lease_forever(self):
        from maillage.jobs.models import WorkerHeartbeat

        beats = 0
        while not self._lease_stop.wait(max(0.2, lease_seconds() / 6)):
            beats += 1
            try:
                self._beat()
                if beats % 6 == 0:
                    for queue in self.queues:
                        abandoned_requeue(queue)
                        self._scheduler_lock_reclaim(queue)
            except Exception:
                logger.exception("Broker injoignable : nouvel essai du bail dans un instant.")
            try:
                WorkerHeartbeat.objects.update_or_create(
                    worker_id=self.name[:64],
                    defaults={
                        "last_seen_at": timezone.now(),
                        "hostname": socket.gethostname()[:200],
                        "pid": os.getpid(),
                    },
                )
            except Exception:  # an outage: jobs report it; keep beating after
                with contextlib.suppress(Exception):
                    connection.close()
            finally:
                close_old_connections()

    def work(self, *args, **kwargs):
        self._beat()
        for queue in self.queues:
            abandoned_requeue(queue)
        thread = threading.Thread(target=self._lease_forever, daemon=True)
        thread.start()
        logger.info("Worker %s démarré (file Redis).", self.name)
        try:
            return super().work(*args, **kwargs)
        finally:
            self._lease_stop.set()
            with contextlib.suppress(Exception):
                self.connection.delete(LEASE_KEY.format(self.name))
            from maillage.jobs.models import WorkerHeartbeat

            with contextlib.suppress(Exception):
                WorkerHeartbeat.objects.filter(worker_id=self.name[:64]).delete()


def broker_worker_run(*, batch=False, interval=1.0, max_tasks=None, worker_id=None):
    """`maillage worker` on the broker: the default queue until SIGTERM (or empty, `--batch`)."""
    queue = django_rq.get_queue("default", job_class=BrokerJob)
    name = worker_id or f"{socket.gethostname()[:30]}-{uuid.uuid4().hex[:12]}"
    worker = BrokerWorker([queue], connection=queue.connection, job_class=BrokerJob, name=name)
    worker.work(burst=batch, with_scheduler=True, max_jobs=max_tasks, logging_level="WARNING")
    del interval  # RQ blocks on the queue (BLPOP): no polling interval


def broker_queue_health():
    """Figures for `/readyz` on the broker: lag of the oldest queued job, running, parked."""
    from maillage.jobs.models import TaskRecord, WorkerHeartbeat

    queue = django_rq.get_queue("default", job_class=BrokerJob)
    now = timezone.now()
    oldest = None
    first = queue.get_job_ids(0, 0)
    if first:
        job = queue.fetch_job(first[0])
        if job is not None and job.enqueued_at is not None:
            oldest = _aware(job.enqueued_at)
    beat = (
        WorkerHeartbeat.objects.order_by("-last_seen_at")
        .values_list("last_seen_at", flat=True)
        .first()
    )
    return {
        "queue_lag_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
        "ready": queue.count,
        "running": queue.started_job_registry.count,
        "failed": TaskRecord.objects.filter(parked_at__isnull=False).count(),
        "worker_heartbeat_age_seconds": round((now - beat).total_seconds(), 1) if beat else None,
        "broker": "redis",
    }


# --- work accepted but never queued ------------------------------------------------------------
# On the broker a task is queued when the transaction commits: a process killed between the
# commit and the queue (an app server SIGKILLed) leaves an outbox row without a job. The sweep
# queues again, once, what has waited longer than MAILLAGE_BROKER_ORPHAN_SECONDS with no job
# anywhere in RQ (queued, scheduled, started) and is not parked. The tasks are idempotent.
def _live_jobs(queue):
    ids = set(queue.get_job_ids())
    for registry in (
        queue.scheduled_job_registry,
        queue.started_job_registry,
        queue.deferred_job_registry,
    ):
        ids.update(registry.get_job_ids(cleanup=False))
    live = set()
    for job in queue.job_class.fetch_many(list(ids), connection=queue.connection):
        if job is not None:
            live.add((job.func_name, tuple(sorted(job.kwargs.items()))))
    return live


def orphans_requeue(*, older_than_seconds=None):
    """Queue again the outbox emails and webhook deliveries left without a job; how many."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from maillage.core.email import deliver_email
    from maillage.core.models import OutgoingEmail
    from maillage.referrals.enums import DeliveryStatus
    from maillage.referrals.models import WebhookDelivery
    from maillage.referrals.webhooks import deliver_webhook

    if not is_broker_backend(deliver_email.backend):
        return 0
    seconds = older_than_seconds or settings.MAILLAGE_BROKER_ORPHAN_SECONDS
    before = timezone.now() - timedelta(seconds=seconds)
    queue = django_rq.get_queue("default", job_class=BrokerJob)
    live = _live_jobs(queue)
    parked = {
        (r.task_path, tuple(sorted(r.args_kwargs.get("kwargs", {}).items())))
        for r in DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).only(
            "task_path", "args_kwargs"
        )
    }
    waiting = [
        (deliver_email, {"email_id": pk})
        for pk in OutgoingEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=before
        ).values_list("pk", flat=True)[:1000]
    ] + [
        (deliver_webhook, {"delivery_id": pk})
        for pk in WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], created_at__lt=before
        ).values_list("pk", flat=True)[:1000]
    ]
    queued = 0
    for task, kwargs in waiting:
        key = (task.module_path, tuple(sorted(kwargs.items())))
        if key in live or key in parked:
            continue
        task.enqueue(**kwargs)
        queued += 1
    if queued:
        logger.warning("%d tâche(s) acceptée(s) mais jamais mise(s) en file : remise(s).", queued)
    return queued
