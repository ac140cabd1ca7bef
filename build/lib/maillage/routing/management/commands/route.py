"""`maillage route [--date YYYY-MM-DD] 'PROFILE_JSON'`: print the routing decision as JSON."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand

from maillage.routing.engine import decide
from maillage.routing.profile import ProfileError


def parse_day(value):
    """A YYYY-MM-DD date, or ValueError with a French message."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"date : « {value} » n'est pas une date au format AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = "Affiche l'opérateur suggéré pour un profil (JSON), ses alternatives et la règle."

    def add_arguments(self, parser):
        parser.add_argument("profile", nargs="?", help='profil JSON, ex. {"department": "75", …}')
        parser.add_argument("--date", dest="day", help="date de la décision (AAAA-MM-JJ)")

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            self.fail(
                f"arguments invalides ({message}). Usage : maillage route [--date AAAA-MM-JJ] "
                "'PROFIL_JSON' ; un profil qui commence par « - » se passe après « -- »."
            )

        parser.error = error
        return parser

    def fail(self, message):
        # Exit 2 with a French sentence: callers script this command, a traceback helps no one.
        self.stderr.write(f"Erreur : {message}")
        sys.exit(2)

    def handle(self, *args, profile=None, day=None, **options):
        if profile is None:
            self.fail("profil manquant : maillage route [--date AAAA-MM-JJ] '{\"department\": …}'.")
        on = None
        if day is not None:
            try:
                on = parse_day(day)
            except ValueError as exc:
                self.fail(str(exc))
        try:
            data = json.loads(profile)
        except (ValueError, RecursionError) as exc:
            where = f" (ligne {exc.lineno}, colonne {exc.colno})" if hasattr(exc, "lineno") else ""
            self.fail(f"JSON invalide{where} : le profil doit être un objet JSON.")
        try:
            decision = decide(data, on)
        except ProfileError as exc:
            self.fail("; ".join(message for _field, message in exc.errors))
        self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False))
