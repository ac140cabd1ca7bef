"""`maillage demo`: migrate, load reference and demo data, then serve the demo (idempotent).

While it serves, the demo also runs the real worker (a `maillage worker` subprocess) and queues
the periodic jobs every few minutes (what cron does with `maillage tick` in production), so that
emails, reminders and expiries happen as they would for real.
"""

import subprocess
import sys
import threading
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maillage.core.reference import reference_load_all

TICK_SECONDS = 300


class Command(BaseCommand):
    help = "Prépare la démonstration (base, données de référence et de démo) puis la sert."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Préparer sans servir.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Servir sans lancer le worker."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Les données de démonstration sont interdites en production.")
        out = self.stdout if options["verbosity"] > 0 else None
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        reference_load_all(stdout=out)
        with transaction.atomic():
            for dotted in settings.MAILLAGE_DEMO_BUILDERS:
                import_module(dotted).build(stdout=out)
        self.stdout.write(self.style.SUCCESS("Démonstration prête."))
        self.stdout.write("Comptes : conseiller@<opérateur>.demo, responsable@<opérateur>.demo,")
        self.stdout.write("coordination@region-idf.demo — mot de passe : demo")
        self.stdout.write(f"E-mails envoyés : fichiers dans {settings.EMAIL_FILE_PATH}")
        if options["no_serve"]:
            return
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "maillage.cli", "worker"])
            threading.Thread(target=self._tick_forever, daemon=True).start()
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

    def _tick_forever(self):
        stop = threading.Event()
        while True:
            call_command("tick", verbosity=0)
            if stop.wait(TICK_SECONDS):
                return
