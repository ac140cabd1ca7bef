"""`maillage seed --scale N [--seed S]`: synthetic referrals for load tests and benchmarks."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.core.reference import reference_load_all
from maillage.referrals.seed import seed_referrals


class Command(BaseCommand):
    help = "Ajoute N orientations synthétiques, déterministes (même graine, mêmes lignes)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True, help="Nombre d'orientations.")
        parser.add_argument("--seed", type=int, default=0, help="Graine (défaut : 0).")
        parser.add_argument("--years", type=float, default=2, help="Période couverte (années).")

    def handle(self, *args, scale, seed, years, **options):
        if settings.PRODUCTION:
            raise CommandError("Les données synthétiques sont interdites en production.")
        if scale < 0:
            raise CommandError("--scale doit être positif.")
        reference_load_all()
        seconds = seed_referrals(scale, seed=seed, years=years, stdout=self.stdout)
        rate = scale / seconds if seconds else 0
        self.stdout.write(
            self.style.SUCCESS(f"{scale:,} orientations créées en {seconds:.1f} s ({rate:,.0f}/s).")
        )
