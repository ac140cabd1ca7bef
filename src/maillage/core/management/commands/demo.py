"""`maillage demo`: migrate, load reference and demo data, then serve the demo (idempotent)."""

from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maillage.core.reference import reference_load_all


class Command(BaseCommand):
    help = "Prépare la démonstration (base, données de référence et de démo) puis la sert."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Préparer sans servir.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Les données de démonstration sont interdites en production.")
        out = self.stdout if options["verbosity"] > 0 else None
        call_command("migrate", interactive=False, verbosity=0)
        reference_load_all(stdout=out)
        with transaction.atomic():
            for dotted in settings.MAILLAGE_DEMO_BUILDERS:
                import_module(dotted).build(stdout=out)
        self.stdout.write(self.style.SUCCESS("Démonstration prête."))
        self.stdout.write("Comptes : conseiller@<opérateur>.demo, responsable@<opérateur>.demo,")
        self.stdout.write("coordination@region-idf.demo — mot de passe : demo")
        if options["no_serve"]:
            return
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
