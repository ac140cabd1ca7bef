"""`maillage worker`: runs the background tasks; never exits on a transient error."""

from django.conf import settings
from django.core.management.base import BaseCommand

from maillage.jobs.worker import Worker


class Command(BaseCommand):
    help = (
        "Lance le worker des tâches de fond (e-mails, webhooks, relances, expirations, "
        "anonymisation) : reprises avec délai croissant, tâches abandonnées reprises."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Traiter la file puis s'arrêter.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Attente quand la file est vide (s)."
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)

    def handle(self, *args, **options):
        if settings.MAILLAGE_TASK_BROKER_URL:
            # The broker queue (RQ on Redis): the same tasks and guarantees, RQ's worker.
            from maillage.jobs.broker import broker_worker_run

            broker_worker_run(
                batch=options["batch"],
                interval=options["interval"],
                max_tasks=options["max_tasks"],
                worker_id=options["worker_id"],
            )
            return
        worker = Worker(
            batch=options["batch"],
            interval=options["interval"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
