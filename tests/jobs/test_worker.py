"""The worker retries failures with growing delays, parks what keeps failing, and takes up
tasks whose worker died."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maillage.core.models import AuditEntry
from maillage.jobs.models import TaskRecord, WorkerHeartbeat
from maillage.jobs.worker import abandoned_reclaim
from tests.jobs import sample_tasks


def _row(result):
    return DBTaskResult.objects.get(pk=result.id)


def _make_due(result):
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())


def test_a_failure_is_retried_later_with_a_growing_delay(db, run_worker):
    result = sample_tasks.refused.enqueue(marker="a")
    before = timezone.now()
    run_worker()
    first = _row(result)
    assert first.status == TaskResultStatus.READY
    first_delay = (first.run_after - before).total_seconds()
    assert 0.5 <= first_delay <= 1.5
    record = TaskRecord.objects.get(pk=result.id)
    assert record.attempts == 1 and record.last_error == "le serveur a refusé la connexion"

    _make_due(result)
    before = timezone.now()
    run_worker()
    second = _row(result)
    assert second.status == TaskResultStatus.READY
    assert (second.run_after - before).total_seconds() >= 1.0 - 0.01  # doubled ceiling


def test_a_task_is_parked_after_its_last_attempt(db, run_worker):
    result = sample_tasks.refused.enqueue(marker="b", organisation_id=42)
    for _ in range(3):
        _make_due(result)
        run_worker()
    row = _row(result)
    record = TaskRecord.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert record.parked_at is not None and record.attempts == 3
    assert record.owner_organisation_id == 42
    assert AuditEntry.objects.filter(action="tests.parked", data__marker="b").count() == 1


def test_a_permanent_failure_is_parked_at_once(db, run_worker):
    result = sample_tasks.refused_for_good.enqueue(marker="c")
    run_worker()
    record = TaskRecord.objects.get(pk=result.id)
    assert _row(result).status == TaskResultStatus.FAILED
    assert record.attempts == 1 and record.parked_at is not None
    assert record.last_error.startswith("adresse refusée")


def test_a_database_outage_inside_a_task_does_not_use_up_its_attempts(db, run_worker):
    result = sample_tasks.database_gone.enqueue(marker="d")
    for _ in range(4):
        _make_due(result)
        run_worker()
    record = TaskRecord.objects.get(pk=result.id)
    assert _row(result).status == TaskResultStatus.READY
    assert record.attempts == 0
    assert record.last_error == "la base de données était indisponible"


def _abandon(result, *, worker_id, minutes_ago):
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=[worker_id],
    )


def test_a_task_whose_worker_died_is_taken_up_again_and_done(db, run_worker):
    result = sample_tasks.succeeds.enqueue(marker="e")
    _abandon(result, worker_id="killed-worker", minutes_ago=5)
    assert abandoned_reclaim() == 1
    assert _row(result).status == TaskResultStatus.READY
    run_worker()
    assert _row(result).status == TaskResultStatus.SUCCESSFUL
    assert AuditEntry.objects.filter(action="tests.done", data__marker="e").count() == 1


def test_a_task_held_by_a_live_worker_is_left_alone(db):
    result = sample_tasks.succeeds.enqueue(marker="f")
    _abandon(result, worker_id="busy-worker", minutes_ago=5)
    WorkerHeartbeat.objects.create(
        worker_id="busy-worker", last_seen_at=timezone.now(), current_task_id=result.id
    )
    assert abandoned_reclaim() == 0
    assert _row(result).status == TaskResultStatus.RUNNING


def test_a_live_worker_that_lost_its_task_in_an_outage_gives_it_back(db):
    result = sample_tasks.succeeds.enqueue(marker="g")
    _abandon(result, worker_id="w1", minutes_ago=5)
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen_at=timezone.now())
    assert abandoned_reclaim() == 1
