"""`maillage load-reference`: load the reference data of data/ (idempotent)."""

from django.core.management.base import BaseCommand

from maillage.core.reference import reference_load_all


class Command(BaseCommand):
    help = "Charge les données de référence (opérateurs, départements, conventions, règles)."

    def handle(self, *args, **options):
        reference_load_all(stdout=self.stdout)
