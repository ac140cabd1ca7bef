"""Benchmark: 1,000 concurrent registrations for 100 seats against a live server.

    .venv/bin/python bench/registrations.py [--requests 1000] [--capacity 100] [--workers 32]
        [--database-url postgres://postgres@127.0.0.1:5432/maillage_events_bench]

Creates (drops first) the database, migrates, creates one published event, starts
`maillage runserver` (threaded) on 127.0.0.1, fires the registrations from a thread pool,
checks that exactly `capacity` are confirmed and the rest waitlisted with no error, prints the
rate, and stops the server. Bounded in time: every request has a timeout, the run a deadline.
tests/events/test_concurrency.py checks the same on a small scale, without this module.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAILLAGE = str(ROOT / ".venv" / "bin" / "maillage")
PYTHON = str(ROOT / ".venv" / "bin" / "python")

# Django's threaded WSGI server (what runserver uses), with a listen backlog that holds a burst
# of concurrent clients (runserver keeps socketserver's 10 and resets the rest).
SERVE = """
import sys
import django
django.setup()
from django.core.servers.basehttp import (
    ThreadedWSGIServer, WSGIRequestHandler, get_internal_wsgi_application)

class Server(ThreadedWSGIServer):
    request_queue_size = 512

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = Server(("127.0.0.1", int(sys.argv[1])), Quiet)
server.set_app(get_internal_wsgi_application())
server.serve_forever()
"""

SETUP = """
from datetime import timedelta
from django.utils import timezone
from maillage.events.models import Event, EventOrganiser
from maillage.partners.models import Organisation
org, _ = Organisation.objects.get_or_create(
    slug="bench-operateur", defaults={"name": "Bench", "kind": "operator"})
now = timezone.now()
event = Event.objects.create(
    title="Bench", kind="forum", status="published", starts_at=now + timedelta(days=7),
    ends_at=now + timedelta(days=7, hours=3), venue="Salle", capacity=CAPACITY,
    lead_organisation=org, published_at=now)
EventOrganiser.objects.create(event=event, organisation=org, is_lead=True)
print("EVENT", event.pk)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database_url, var_dir):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        MAILLAGE_VAR_DIR=str(var_dir),
        DEBUG="0",
        CONN_MAX_AGE="0",
        LOG_LEVEL="ERROR",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MAILLAGE_RATELIMIT_ENABLE="0",  # one client sends every request: no per-address limit
    )
    return env


def postgres_recreate(database_url):
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def event_setup(database_url, var_dir, capacity):
    """Migrate the database and create one published event; return its id."""
    env = _env(database_url, var_dir)
    subprocess.run([MAILLAGE, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    subprocess.run([MAILLAGE, "createcachetable"], env=env, check=True, timeout=120)
    out = subprocess.run(
        [MAILLAGE, "shell", "-c", SETUP.replace("CAPACITY", str(capacity))],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.split("EVENT", 1)[1].split()[0])


def statuses_count(database_url, var_dir, event_id):
    """{status: count} of the event's registrations (the public answer does not tell them)."""
    code = (
        "import json; from django.db.models import Count; "
        "from maillage.events.models import Registration; "
        f"print('STATUSES', json.dumps(dict(Registration.objects.filter(event_id={event_id})"
        ".values_list('status').annotate(n=Count('id')).order_by())))"
    )
    out = subprocess.run(
        [MAILLAGE, "shell", "-c", code],
        env=_env(database_url, var_dir),
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("STATUSES", 1)[1])


@contextmanager
def live_server_process(database_url, var_dir, *, deadline=60):
    """Django's threaded WSGI server on a free port; yields its base URL; always stopped."""
    port = free_port()
    env = _env(database_url, var_dir)
    env["DJANGO_SETTINGS_MODULE"] = "maillage.settings"
    process = subprocess.Popen(
        [PYTHON, "-c", SERVE, str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        # Server errors (tracebacks) land in the var dir, to read when a run fails.
        stderr=open(Path(var_dir) / "server.log", "wb"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() - started > deadline:
                raise RuntimeError("le serveur n'a pas démarré")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def register(base, event_id, index, *, email=None):
    body = json.dumps(
        {
            "first_name": "Personne",
            "last_name": f"N{index}",
            "email": email or f"personne{index}@bench.exemple",
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/events/{event_id}/registrations",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"detail": error.read()[:300].decode(errors="replace")}
    except OSError as error:
        return 0, {"detail": repr(error)}


def register_many(base, event_id, count, *, workers=32, emails=None):
    """POST `count` registrations from `workers` threads; returns [(status, body)] in order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(register, base, event_id, i, email=emails[i] if emails else None)
            for i in range(count)
        ]
        return [f.result() for f in futures]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maillage_events_bench"
        ),
    )
    args = parser.parse_args()
    if args.database_url.startswith("postgres"):
        postgres_recreate(args.database_url)
    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as var_dir:
        event_id = event_setup(args.database_url, var_dir, args.capacity)
        with live_server_process(args.database_url, var_dir) as base:
            started = time.perf_counter()
            results = register_many(base, event_id, args.requests, workers=args.workers)
            elapsed = time.perf_counter() - started
            with urllib.request.urlopen(f"{base}/api/v1/events/{event_id}", timeout=10) as r:
                seats_left = json.loads(r.read())["seats_left"]
        errors = (Path(var_dir) / "server.log").read_text(errors="replace")
        if errors.strip():
            print(errors[-3000:], file=sys.stderr)
        statuses = statuses_count(args.database_url, var_dir, event_id)
    codes = {}
    for code, _body in results:
        codes[code] = codes.get(code, 0) + 1
    ok = (
        codes == {202: args.requests}
        and statuses.get("confirmed") == args.capacity
        and statuses.get("waitlisted") == args.requests - args.capacity
        and seats_left == 0
    )
    print(
        json.dumps(
            {
                "database": args.database_url.split(":", 1)[0],
                "requests": args.requests,
                "capacity": args.capacity,
                "workers": args.workers,
                "http_codes": codes,
                "statuses": statuses,
                "seats_left": seats_left,
                "seconds": round(elapsed, 2),
                "registrations_per_second": round(args.requests / elapsed, 1),
                "ok": ok,
            },
            ensure_ascii=False,
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
