"""`maillage serve`: run Maillage behind gunicorn, the production WSGI server.

The process becomes gunicorn (exec), so that signals reach its master directly: TERM stops
gracefully, HUP reloads the code without dropping a request. Sizes and timeouts are in
`maillage/gunicorn_conf.py`; the options below override them.
"""

import os
import sys

from django.core.management.base import BaseCommand
from django.db import connections

CONFIG = "python:maillage.gunicorn_conf"


def gunicorn_argv(*, bind=None, workers=None, threads=None):
    argv = [sys.executable, "-m", "gunicorn", "--config", CONFIG]
    if bind:
        argv += ["--bind", bind]
    if workers:
        argv += ["--workers", str(workers)]
    if threads:
        argv += ["--threads", str(threads)]
    return argv


class Command(BaseCommand):
    help = "Sert Maillage avec gunicorn (serveur de production, configuration gunicorn_conf.py)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="Adresse d'écoute, par exemple 127.0.0.1:8000.")
        parser.add_argument("--workers", type=int, help="Nombre de processus (défaut : 2).")
        parser.add_argument("--threads", type=int, help="Fils par processus (défaut : 8).")

    def handle(self, *args, **options):
        argv = gunicorn_argv(
            bind=options["bind"], workers=options["workers"], threads=options["threads"]
        )
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)
