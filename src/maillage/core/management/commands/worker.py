"""`maillage worker`: the background worker (Django tasks, database backend)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Lance le worker des tâches de fond (e-mails, relances, expirations, anonymisation)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Traiter la file puis s'arrêter.")

    def handle(self, *args, **options):
        extra = ["--batch", "--no-startup-delay"] if options["batch"] else []
        call_command("db_worker", *extra)
