"""The scheduler queues each periodic task once per slot, however many schedulers ask."""

from datetime import UTC, datetime, timedelta

from django_tasks_db.models import DBTaskResult

from maillage.jobs.schedule import periodic_enqueue_due, periodic_tasks


def test_two_schedulers_in_the_same_slot_queue_each_task_once(db):
    now = datetime(2026, 12, 1, 9, 1, tzinfo=UTC)
    first = periodic_enqueue_due(now=now, interval_seconds=300)
    second = periodic_enqueue_due(now=now + timedelta(seconds=90), interval_seconds=300)
    assert first == len(periodic_tasks()) and second == 0
    assert DBTaskResult.objects.count() == first


def test_the_next_slot_queues_them_again(db):
    now = datetime(2026, 12, 1, 9, 1, tzinfo=UTC)
    periodic_enqueue_due(now=now, interval_seconds=300)
    again = periodic_enqueue_due(now=now + timedelta(seconds=300), interval_seconds=300)
    assert again == len(periodic_tasks())
