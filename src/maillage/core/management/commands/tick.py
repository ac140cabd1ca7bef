"""`maillage tick`: queue the periodic jobs (run it from cron, e.g. every 15 minutes)."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Met en file les tâches périodiques (relances, expirations, anonymisation)."

    def handle(self, *args, **options):
        queued = 0
        for dotted in settings.MAILLAGE_PERIODIC_TASKS:
            for task in import_module(dotted).periodic_tasks():
                task.enqueue()
                queued += 1
        self.stdout.write(f"{queued} tâche(s) mise(s) en file.")
