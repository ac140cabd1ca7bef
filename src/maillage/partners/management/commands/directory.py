"""`maillage directory import FILE… [--apply]` and `maillage directory export`: the directory's
data·inclusion files. The import is a dry run unless `--apply` is given."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.partners import datainclusion
from maillage.partners.exports import directory_files_build
from maillage.partners.importer import ImportFileError, directory_import


class Command(BaseCommand):
    help = "Importe un fichier data·inclusion dans l'annuaire, ou exporte l'annuaire."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Importe des structures et services data·inclusion.")
        imp.add_argument("files", nargs="+", help="Fichiers JSON ou CSV au schéma data·inclusion.")
        imp.add_argument(
            "--apply", action="store_true", help="Enregistre (sans cette option : aperçu seul)."
        )
        imp.add_argument("--json", action="store_true", help="Le rapport en JSON.")
        exp = sub.add_parser("export", help="Écrit les fichiers data·inclusion et HSDS.")
        exp.add_argument(
            "--print", action="store_true", help="Structures et services data·inclusion en JSON."
        )

    def handle(self, *args, **options):
        if options["action"] == "export":
            if options["print"]:
                data = {
                    "structures": datainclusion.structures_all(),
                    "services": datainclusion.services_all(),
                }
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))
                return
            result = directory_files_build(force=True)
            self.stdout.write(
                f"{result['written']} fichier(s) écrit(s) dans le stockage des fichiers "
                f"({result['folder']})"
            )
            return
        refused = 0
        for name in options["files"]:
            path = Path(name)
            if not path.exists():
                raise CommandError(f"Fichier introuvable : {name}")
            try:
                report = directory_import(
                    actor=None,
                    content=path.read_bytes(),
                    filename=path.name,
                    apply=options["apply"],
                )
            except ImportFileError as exc:
                raise CommandError(f"{name} : {exc}") from exc
            refused += len(report.refused)
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "fichier": name,
                            "appliqué": report.applied,
                            "résumé": report.summary_fr(),
                            "lignes": [r.as_dict() for r in report.rows],
                        },
                        ensure_ascii=False,
                        indent=1,
                    )
                )
            else:
                self.stdout.write(f"== {name}")
                for line in report.lines_fr():
                    self.stdout.write(line)
        if not options["apply"]:
            self.stdout.write("Aperçu seulement : relancez avec --apply pour enregistrer.")
        if refused:
            self.stderr.write(f"{refused} ligne(s) refusée(s) : voir les motifs ci-dessus.")
