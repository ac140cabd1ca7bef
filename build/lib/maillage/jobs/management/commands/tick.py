"""`maillage tick`: queue the periodic jobs once, now (the scheduler does it on its own)."""

from django.core.management.base import BaseCommand

from maillage.jobs.schedule import periodic_enqueue_all


class Command(BaseCommand):
    help = "Met en file les tâches périodiques une fois (relances, expirations, anonymisation)."

    def handle(self, *args, **options):
        queued = periodic_enqueue_all()
        self.stdout.write(f"{queued} tâche(s) mise(s) en file.")
