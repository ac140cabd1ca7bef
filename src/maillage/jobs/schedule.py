"""Periodic tasks: what each area declares, queued once per time slot whoever asks."""

import logging
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.jobs.models import ScheduledRun

logger = logging.getLogger("maillage.scheduler")


def periodic_tasks():
    """Every area's `PERIODIC_TASKS`, from the `tasks.py` modules listed in the settings."""
    tasks = []
    for dotted in settings.MAILLAGE_TASK_MODULES:
        tasks.extend(import_module(dotted).PERIODIC_TASKS)
    return tasks


def slot_of(now, interval_seconds):
    epoch = int(now.timestamp()) // interval_seconds * interval_seconds
    return datetime.fromtimestamp(epoch, tz=timezone.get_current_timezone())


def periodic_enqueue_due(*, now=None, interval_seconds=None):
    """Queue each periodic task for the current slot unless it already was (by any scheduler)."""
    now = now or timezone.now()
    interval = interval_seconds or settings.MAILLAGE_SCHEDULER_INTERVAL_SECONDS
    slot = slot_of(now, interval)
    queued = 0
    for task in periodic_tasks():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(task_path=task.module_path, slot=slot)
                task.enqueue()
            queued += 1
        except IntegrityError:
            continue  # another scheduler queued it for this slot
    ScheduledRun.objects.filter(slot__lt=now - timedelta(days=2)).delete()
    return queued


def periodic_enqueue_all():
    """`maillage tick`: queue every periodic task now (they are idempotent)."""
    tasks = periodic_tasks()
    for task in tasks:
        task.enqueue()
    return len(tasks)
