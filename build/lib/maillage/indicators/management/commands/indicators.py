"""`maillage indicators rebuild [--from YYYY-MM-DD] [--to YYYY-MM-DD]`: rebuild the roll-ups."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from maillage.indicators.services import rollups_rebuild


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide : « {value} » (format AAAA-MM-JJ).") from None


class Command(BaseCommand):
    help = "Indicateurs : reconstruit les agrégats quotidiens et mensuels des orientations."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"], help="rebuild : tout reconstruire")
        parser.add_argument(
            "--from", dest="start", type=_day, help="Premier jour (défaut : le premier envoi)"
        )
        parser.add_argument(
            "--to", dest="end", type=_day, help="Dernier jour (défaut : aujourd'hui)"
        )

    def handle(self, *args, action, start=None, end=None, **options):
        rows = rollups_rebuild(start=start, end=end)
        self.stdout.write(
            self.style.SUCCESS(f"Agrégats reconstruits : {rows} ligne(s) journalière(s).")
        )
