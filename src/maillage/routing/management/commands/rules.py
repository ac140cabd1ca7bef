"""`maillage rules check [--date D] [--strict]` and `maillage rules simulate --rules FILE`."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from maillage.core.french import date_fr, number_fr
from maillage.routing import analysis, engine, ruleset
from maillage.routing.management.commands.route import parse_day
from maillage.routing.services import known_targets


class Command(BaseCommand):
    help = "Vérifie les règles d'aiguillage sur tout l'espace des profils, ou simule un changement."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="check|simulate")
        check = sub.add_parser("check", help="couverture des règles à une date")
        check.add_argument("--date", dest="day")
        check.add_argument(
            "--strict",
            action="store_true",
            help="code de sortie 1 si une règle ne décide jamais ou a une condition impossible",
        )
        simulate = sub.add_parser("simulate", help="effet d'un fichier de règles proposé")
        simulate.add_argument("--rules", dest="rules_file", required=True)
        simulate.add_argument("--date", dest="day")

    def fail(self, message, code=2):
        self.stderr.write(f"Erreur : {message}")
        sys.exit(code)

    def handle(self, *args, action=None, day=None, **options):
        if action not in ("check", "simulate"):
            self.fail("précisez « check » ou « simulate » (maillage rules check --strict).")
        try:
            on = parse_day(day) if day else engine.today()
        except ValueError as exc:
            self.fail(str(exc))
        if action == "check":
            return self.run_check(on, options["strict"])
        return self.run_simulate(on, options["rules_file"])

    def run_check(self, on, strict):
        report = analysis.check(engine.current(), on)
        write = self.stdout.write
        write(f"Règles au {date_fr(on)} : {', '.join(report.rules_in_force)}")
        write(f"Profils énumérés : {report.profiles}")
        write(
            f"Profils que seule la règle par défaut attrape (pour information) : "
            f"{report.fallback_total}"
        )
        for status, count in sorted(report.fallback_only.items()):
            write(f"  - situation {status} : {count}")
        for profile in report.fallback_examples:
            write(f"    exemple : {profile.as_dict()}")
        write("Règles en vigueur qui ne décident jamais (masquées) : " + str(len(report.shadowed)))
        for rule_id, deciders in report.shadowed:
            write(f"  - {rule_id} : masquée par {', '.join(deciders)}")
        write("Conditions qu'aucun profil ne peut remplir : " + str(len(report.unsatisfiable)))
        for rule_id, reason in report.unsatisfiable:
            write(f"  - {rule_id} : {reason}")
        fired = ", ".join(
            f"{rule_id}={count}"
            for rule_id, count in sorted(report.fired.items())
            if not rule_id.startswith("alt:")
        )
        write(f"Décisions par règle : {fired}")
        if strict and not report.ok:
            self.stderr.write("Échec (--strict) : des règles sont masquées ou impossibles.")
            sys.exit(1)
        write("OK" if report.ok else "Des règles sont à revoir (voir ci-dessus).")

    def run_simulate(self, on, rules_file):
        path = Path(rules_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            self.fail(f"--rules : fichier illisible « {rules_file} ».")
        current = engine.current().snapshot
        try:
            proposed = ruleset.parse_text(text)
            proposed.setdefault("lists", current["lists"])
            proposed = ruleset.validate(ruleset.normalise(proposed), targets=known_targets())
        except ruleset.RuleSetInvalid as exc:
            self.fail(
                "règles proposées invalides : " + "; ".join(f"{w} : {m}" for w, m in exc.errors)
            )
        stored = analysis.stored_referral_profiles()
        report = analysis.simulate(current, proposed, on, stored=stored)
        write = self.stdout.write
        write(f"Simulation au {date_fr(on)} sur {number_fr(report.profiles)} profils énumérés.")
        write(f"Décisions qui changent d'opérateur : {report.moved}")
        for (before, after), count in sorted(report.moves.items(), key=lambda i: (-i[1], i[0])):
            write(f"  {before} → {after} : {count}")
        changed_rules = sum(report.rule_changes.values())
        write(f"Décisions qui changent de règle : {changed_rules}")
        for (before, after), count in sorted(
            report.rule_changes.items(), key=lambda i: (-i[1], i[0])
        ):
            write(f"  {before} → {after} : {count}")
        if stored is None:
            write(
                "Profils d'orientations enregistrées : non disponibles "
                "(pas de profil enregistré par le module des orientations)."
            )
        else:
            write(
                f"Profils d'orientations enregistrées : {report.stored_profiles} "
                f"(illisibles : {report.stored_skipped}), changent d'opérateur : "
                f"{sum(report.stored_moves.values())}"
            )
            for (before, after), count in sorted(
                report.stored_moves.items(), key=lambda i: (-i[1], i[0])
            ):
                write(f"  {before} → {after} : {count}")
