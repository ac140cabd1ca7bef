"""`maillage scheduler`: queues the periodic tasks at each time slot, forever (no cron needed).

Several schedulers may run (one per machine): a slot is queued once, whoever gets there first.
A database outage is waited out.
"""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from maillage.jobs.schedule import periodic_enqueue_due

logger = logging.getLogger("maillage.scheduler")


class Command(BaseCommand):
    help = "Met en file les tâches périodiques à chaque créneau, sans cron."

    def handle(self, *args, **options):
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        interval = settings.MAILLAGE_SCHEDULER_INTERVAL_SECONDS
        delay = 1.0
        while not stop.is_set():
            try:
                close_old_connections()
                queued = periodic_enqueue_due()
                if queued:
                    logger.info("%d tâche(s) périodique(s) mise(s) en file.", queued)
                delay = 1.0
                wait = min(60.0, interval / 4)
            except DatabaseError as error:
                logger.warning(
                    "Base de données injoignable (%s) : nouvel essai dans %.0f s.",
                    type(error).__name__,
                    delay,
                )
                connection.close()
                wait, delay = delay, min(30.0, delay * 2)
            stop.wait(wait)
