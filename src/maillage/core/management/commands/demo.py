"""`maillage demo`: migrate, load reference and demo data, then serve the demo (idempotent).

It serves through the production server (`maillage serve`, gunicorn) with DEBUG off, so that
people see the pages production shows, and supervises the real background processes: the
worker (`maillage worker`) and the scheduler of periodic jobs (`maillage scheduler`). A process
that dies is started again; SIGINT (Ctrl-C) or SIGTERM stops them all.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from maillage.core.reference import reference_load_all

STOP_SECONDS = 35  # gunicorn's graceful_timeout (30 s) and a margin
RESTART_DELAY_MAX = 30


def _die_with_parent():
    """Linux: the child gets SIGTERM if the demo itself is killed (no orphaned server)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Supervised:
    """One child process, started again (with a growing delay) whenever it exits."""

    def __init__(self, name, argv, env, stdout):
        self.name, self.argv, self.env, self.stdout = name, argv, env, stdout
        self.process = None
        self.delay = 1
        self.next_start = 0.0

    def start(self):
        self.process = subprocess.Popen(
            self.argv, env=self.env, start_new_session=True, preexec_fn=_die_with_parent
        )
        self.started_at = time.monotonic()

    def check(self, now):
        """Start it again if it died; returns the exit code seen, if any."""
        if self.process is None:
            if now >= self.next_start:
                self.start()
            return None
        code = self.process.poll()
        if code is None:
            return None
        # A process that ran a while gets restarted at once; one that keeps dying, less often.
        self.delay = 1 if now - self.started_at > 60 else min(self.delay * 2, RESTART_DELAY_MAX)
        self.stdout.write(
            f"{self.name} s'est arrêté (code {code}) : redémarrage dans {self.delay} s."
        )
        self.process = None
        self.next_start = now + self.delay
        return code

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, deadline):
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


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
        connections.close_all()  # the children open their own
        self.serve(options["port"], with_worker=not options["no_worker"])

    def serve(self, port, *, with_worker):
        env = dict(os.environ)
        env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")  # links in emails
        cli = [sys.executable, "-m", "maillage.cli"]
        children = [
            Supervised(
                "serveur web", [*cli, "serve", "--bind", f"127.0.0.1:{port}"], env, self.stdout
            )
        ]
        stop = threading.Event()
        if with_worker:
            children.append(Supervised("worker", [*cli, "worker"], env, self.stdout))
            children.append(Supervised("planificateur", [*cli, "scheduler"], env, self.stdout))

        def on_signal(signum, frame):
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in children:
                child.start()
            self.stdout.write(f"Maillage sert http://127.0.0.1:{port}/ (Ctrl-C pour arrêter).")
            while not stop.wait(1):
                now = time.monotonic()
                for child in children:
                    child.check(now)
        finally:
            self.stdout.write("Arrêt de la démonstration…")
            for child in children:
                child.stop()
            deadline = time.monotonic() + STOP_SECONDS
            for child in children:
                child.wait(deadline)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
