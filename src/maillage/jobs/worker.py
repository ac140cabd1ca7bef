"""The worker: runs queued tasks with leases, retries with back-off, and parks what keeps failing.

It works on django-tasks' database rows (`DBTaskResult`), so the task code is plain
`@task()` functions, and adds what a service that must never lose work needs:

- a heartbeat row per worker, refreshed by a thread while a task runs; a RUNNING task that no
  live worker holds (its worker was killed, or lost it in an outage) is taken up again once the
  lease has expired;
- a failure is retried after an exponential, jittered delay up to the task's maximum number of
  attempts (`maillage.jobs.policy`), then parked with a French reason, shown in
  « Tâches en échec » with « Relancer »; a database outage inside a task does not count;
- the database going away never stops the worker: it waits with back-off, says in French what
  it waits for, and resumes; SIGTERM lets the current task finish, then the worker exits.
"""

import contextlib
import logging
import os
import random
import signal
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskContext, TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from maillage.core.logging import log_event
from maillage.core.scoping import scopes_disabled
from maillage.jobs.errors import (
    TaskFailure,
    error_describe,
    error_is_outage,
    error_is_permanent,
)
from maillage.jobs.models import TaskRecord, WorkerHeartbeat
from maillage.jobs.policy import policy_for

logger = logging.getLogger("maillage.worker")

OUTAGE_ERRORS = (OperationalError, InterfaceError)


def lease_seconds():
    return float(getattr(settings, "MAILLAGE_WORKER_LEASE_SECONDS", 60))


def heartbeat_seconds():
    return max(0.2, lease_seconds() / 6)


def _is_locked(error):
    return "locked" in str(error).lower() or "busy" in str(error).lower()


class Worker:
    def __init__(self, *, batch=False, interval=1.0, worker_id=None, max_tasks=None):
        self.batch = batch
        self.interval = interval
        self.max_tasks = max_tasks
        self.worker_id = worker_id or f"{socket.gethostname()[:30]}-{get_random_string(12)}"
        self.running = True
        self.running_task = False
        self.done = 0
        self._stop = threading.Event()
        self._heartbeat_thread = None
        self._last_reap = 0.0
        self._outage_since = None

    # --- signals ------------------------------------------------------------------------
    def configure_signals(self):
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._shutdown)

    def _shutdown(self, signum, frame):
        if not self.running:
            raise SystemExit(1)  # second signal: stop now, the lease gives the task back
        logger.warning(
            "Signal %s reçu : le worker termine la tâche en cours puis s'arrête.",
            signal.strsignal(signum),
        )
        self.running = False
        self._stop.set()
        if not self.running_task:
            raise SystemExit(0)

    # --- the loop -------------------------------------------------------------------------
    def run(self):
        logger.info("Worker %s démarré.", self.worker_id)
        if not self.batch:
            # A one-shot run (tests, `--batch`) holds no task for long: no lease to keep.
            self._heartbeat_thread = threading.Thread(target=self._beat_forever, daemon=True)
            self._heartbeat_thread.start()
        try:
            while self.running:
                try:
                    found = self._step()
                except OUTAGE_ERRORS as error:
                    if _is_locked(error):
                        # Another writer holds SQLite's lock: the queue is busy, not empty
                        # (a batch run must not end with tasks left in it).
                        self._stop.wait(random.uniform(0.05, 0.3))
                        continue
                    else:
                        self._wait_for_database(error)
                        continue
                if self._outage_since is not None:
                    logger.warning("Base de données de retour : le worker reprend.")
                    self._outage_since = None
                if self.max_tasks is not None and self.done >= self.max_tasks:
                    return
                if not found:
                    if self.batch:
                        return
                    self._stop.wait(self.interval)
        finally:
            self._stop.set()
            self._forget_heartbeat()

    def _step(self):
        close_old_connections()
        now = time.monotonic()
        if now - self._last_reap >= heartbeat_seconds():
            self._last_reap = now
            abandoned_reclaim()
        db_result = self._claim()
        if db_result is None:
            return False
        self._run(db_result)
        return True

    def _wait_for_database(self, error):
        """Back off (1 s, 2 s, 4 s… up to 30 s) until the database answers again."""
        if self._outage_since is None:
            self._outage_since = time.monotonic()
            self._delay = 1.0
        logger.warning(
            "Base de données injoignable (%s) : nouvel essai dans %.0f s.",
            type(error).__name__,
            self._delay,
        )
        # The connection is already broken: closing it is best effort.
        with contextlib.suppress(Exception):
            connection.close()
        self._stop.wait(self._delay)
        self._delay = min(30.0, self._delay * 2)
        if self.batch and time.monotonic() - self._outage_since > 60:
            raise SystemExit(1)

    def _claim(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(tasks.db):
            db_result = tasks.get_locked()
            if db_result is None:
                return None
            db_result.claim(self.worker_id)
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "last_seen_at": timezone.now(),
                    "current_task_id": db_result.id,
                    "hostname": socket.gethostname()[:200],
                    "pid": os.getpid(),
                },
            )
        return db_result

    def _run(self, db_result):
        self.running_task = True
        started = time.monotonic()
        outcome, value, error = "successful", None, None
        try:
            task = db_result.task
            result = db_result.task_result
            # Tasks carry ids and read across organisations (the scope of `core.scoping`).
            with scopes_disabled():
                if task.takes_context:
                    context = TaskContext(task_result=result)
                    value = task.call(context, *result.args, **result.kwargs)
                else:
                    value = task.call(*result.args, **result.kwargs)
        except Exception as exc:
            outcome, error = "failed", exc
        finally:
            self.running_task = False
        # The outcome is kept until it is written: an outage now must not lose it.
        while True:
            try:
                close_old_connections()
                outcome = self._record(db_result, outcome, value, error)
                break
            except OUTAGE_ERRORS as outage:
                if _is_locked(outage):
                    time.sleep(random.uniform(0.05, 0.3))
                    continue
                self._wait_for_database(outage)
                if not self.running:
                    return  # the lease hands the task to another worker
        self.done += 1
        log_event(
            logger,
            "task",
            task_id=str(db_result.id),
            task=db_result.task_path.rsplit(".", 1)[-1],
            outcome=outcome,
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        if not self.running:
            raise SystemExit(0)

    def _record(self, db_result, outcome, value, error):
        with db_transaction.atomic():
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                current_task_id=None, last_seen_at=timezone.now()
            )
            if error is None:
                db_result.set_successful(value)
                return "successful"
            return task_failure_record(db_result, error)

    # --- heartbeat ------------------------------------------------------------------------
    def _beat_forever(self):
        while not self._stop.wait(heartbeat_seconds()):
            try:
                WorkerHeartbeat.objects.update_or_create(
                    worker_id=self.worker_id,
                    defaults={
                        "last_seen_at": timezone.now(),
                        "hostname": socket.gethostname()[:200],
                        "pid": os.getpid(),
                    },
                )
            except Exception:  # an outage: the main loop reports it; keep beating after
                with contextlib.suppress(Exception):
                    connection.close()
            finally:
                close_old_connections()
        connection.close()

    def _forget_heartbeat(self):
        # Stopping during an outage: the row simply ages out.
        with contextlib.suppress(Exception):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def task_failure_record(db_result, error):
    """Retry later or park, by the task's policy; returns "retrying" or "parked"."""
    policy = policy_for(db_result.task_path)
    record, _ = TaskRecord.objects.select_for_update().get_or_create(task_result=db_result)
    if not error_is_outage(error):
        record.attempts += 1
    record.last_error = error_describe(error)
    if error_is_permanent(error) or record.attempts >= policy.max_attempts:
        db_result.set_failed(error)
        task_park(db_result, record, policy)
        return "parked"
    record.save()
    delay = policy.delay_before(max(1, record.attempts))
    db_result.status = TaskResultStatus.READY
    db_result.run_after = timezone.now() + timedelta(seconds=delay)
    db_result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    db_result.traceback = record.last_error
    db_result.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
    return "retrying"


def task_park(db_result, record, policy):
    kwargs = db_result.args_kwargs.get("kwargs", {})
    record.parked_at = timezone.now()
    if policy.owner is not None:
        try:
            record.owner_organisation_id = policy.owner(**kwargs)
        except Exception:  # the object is gone: coordinators still see the parked task
            logger.exception("Propriétaire introuvable pour la tâche %s", db_result.id)
    record.save()
    if policy.on_parked is not None:
        policy.on_parked(**kwargs)


def abandoned_reclaim():
    """Give back the RUNNING tasks that no live worker holds once their lease has expired."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds())
    held = (
        WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff)
        .exclude(current_task_id=None)
        .values_list("current_task_id", flat=True)
    )
    candidates = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        .exclude(id__in=list(held))
        .values_list("pk", flat=True)[:100]
    )
    reclaimed = 0
    for pk in candidates:
        with db_transaction.atomic():
            db_result = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if db_result is None:
                continue
            lost = TaskFailure("le worker s'est arrêté pendant la tâche ; elle a été reprise")
            if task_failure_record(db_result, lost) == "retrying":
                # Taken up again at once: the attempt was lost, not refused.
                DBTaskResult.objects.filter(pk=pk).update(run_after=timezone.now())
            reclaimed += 1
    WorkerHeartbeat.objects.filter(last_seen_at__lt=cutoff - timedelta(hours=1)).delete()
    if reclaimed:
        logger.warning("%d tâche(s) abandonnée(s) par un worker arrêté : reprises.", reclaimed)
    return reclaimed
