"""Benchmark: bursts of simultaneous public registrations for a 10-seat event (issue 11).

    .venv/bin/python bench/burst.py --mode demo  [--port 8103]          # `maillage demo`, SQLite
    .venv/bin/python bench/burst.py --mode serve [--port 8104]
        [--database-url postgres://postgres@127.0.0.1:5432/maillage_server]  # `maillage serve`
    .venv/bin/python bench/burst.py --url http://127.0.0.1:8000 --database-url URL  # a server
        already running on that database
    options: --bursts 60,1000  --capacity 10  --timeout 120

`demo` starts `maillage demo` (gunicorn, worker, scheduler) on a fresh SQLite database in a
temporary var dir; `serve` drops and re-creates the PostgreSQL database, prepares the demo data
(`maillage demo --no-serve`), then starts `maillage serve` and `maillage worker`. For each burst
the script creates a fresh published public event with `--capacity` seats through the events
services, then opens N connections at once (asyncio, raw sockets, one `POST
/api/v1/events/{id}/registrations` each with a distinct email, `Connection: close`) and counts:
connections reset or refused, timeouts, answers by status, registrations/s (N / wall time of the
burst), p50/p95 latency, confirmed and waitlisted rows in the database, and, on PostgreSQL, the
peak of `pg_stat_activity` for the database (polled every 20 ms, the poller excluded).
Requirement: 0 reset/refused/timeouts, 0 5xx, exactly `capacity` confirmed, the rest waitlisted.
Rate limits are turned off for the servers it starts (MAILLAGE_RATELIMIT_ENABLE=0): the point is
the server under a burst, not the limiter. Bounded: every request has a timeout, every burst too.
"""

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PYTHON = sys.executable
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/maillage_server"


# --- processes -----------------------------------------------------------------------------------
def _wait_healthy(url, process, deadline=180):
    limit = time.monotonic() + deadline
    while time.monotonic() < limit:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"le serveur s'est arrêté (code {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} ne répond pas après {deadline} s")


def _pg_recreate(database_url):
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _maillage(*args, env, **kwargs):
    return [PYTHON, "-m", "maillage.cli", *args], dict(env=env, cwd=ROOT, **kwargs)


def start_servers(mode, port, database_url, env, log):
    """The processes serving the bench: `maillage demo`, or `maillage serve` + a worker."""
    if mode == "demo":
        argv, kw = _maillage("demo", "--port", str(port), env=env)
        return [subprocess.Popen(argv, stdout=log, stderr=log, **kw)]
    _pg_recreate(database_url)
    argv, kw = _maillage("demo", "--no-serve", env=env)
    subprocess.run(argv, check=True, stdout=log, stderr=log, timeout=600, **kw)
    processes = []
    for args in (("serve", "--bind", f"127.0.0.1:{port}"), ("worker",)):
        argv, kw = _maillage(*args, env=env)
        processes.append(subprocess.Popen(argv, stdout=log, stderr=log, **kw))
    return processes


def stop_servers(processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- data, through the project's services --------------------------------------------------------
def django_setup(env):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    import django

    django.setup()


def event_fresh(capacity):
    from datetime import timedelta

    from django.db import connections
    from django.utils import timezone

    from maillage.accounts.models import User
    from maillage.events.enums import EventKind
    from maillage.events.services import event_create
    from maillage.partners.models import Organisation

    coordinator = User.objects.get(email="coordination@region-idf.demo")
    starts = timezone.now() + timedelta(days=14)
    event = event_create(
        actor=coordinator,
        organisation=Organisation.objects.get(slug="afdas"),
        title=f"Forum de l'emploi (banc d'essai {timezone.now():%H:%M:%S})",
        kind=EventKind.values[0],
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=capacity,
        venue="Salle des fêtes",
        publish=True,
    )
    connections.close_all()  # not counted among the server's connections
    return event.pk


def event_counts(event_id):
    from django.db import connections
    from django.db.models import Count

    from maillage.events.models import Registration

    rows = dict(
        Registration.objects.filter(event_id=event_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    connections.close_all()
    return rows


class PgPeak:
    """Polls pg_stat_activity for the database during a burst; `peak` is the maximum seen."""

    def __init__(self, database_url):
        self.url, self.name = database_url, urlsplit(database_url).path.lstrip("/")
        self.peak, self.samples = 0, 0
        self._stop = threading.Event()

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(self.url, autocommit=True)
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()
        return self

    def _poll(self):
        while not self._stop.is_set():
            (count,) = self.conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND pid <> pg_backend_pid()",
                (self.name,),
            ).fetchone()
            self.peak, self.samples = max(self.peak, count), self.samples + 1
            self._stop.wait(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(timeout=5)
        self.conn.close()


# --- the burst -----------------------------------------------------------------------------------
async def _register(host, port, path, body, timeout):
    started = time.perf_counter()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            answer = await reader.read()
    except ConnectionRefusedError:
        return "refused", time.perf_counter() - started
    except (ConnectionResetError, BrokenPipeError):
        return "reset", time.perf_counter() - started
    except TimeoutError:
        return "timeout", time.perf_counter() - started
    except OSError as exc:
        return f"oserror:{exc.errno}", time.perf_counter() - started
    finally:
        if writer is not None:
            writer.close()
    if not answer.startswith(b"HTTP/"):
        return "reset", time.perf_counter() - started  # closed without an answer
    return int(answer.split(b" ", 2)[1]), time.perf_counter() - started


async def _burst(url, event_id, n, tag, timeout):
    parts = urlsplit(url)
    path = f"/api/v1/events/{event_id}/registrations"
    bodies = [
        json.dumps(
            {
                "first_name": "Camille",
                "last_name": f"Essai {i}",
                "email": f"burst-{tag}-{i}@example.org",
            }
        ).encode()
        for i in range(n)
    ]
    started = time.perf_counter()
    results = await asyncio.gather(
        *(_register(parts.hostname, parts.port, path, body, timeout) for body in bodies)
    )
    return results, time.perf_counter() - started


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def burst_run(url, n, *, capacity, timeout, database_url):
    event_id = event_fresh(capacity)
    pg = PgPeak(database_url) if database_url.startswith("postgres") else None
    tag = f"{n}-{int(time.time())}"
    if pg:
        with pg:
            results, wall = asyncio.run(_burst(url, event_id, n, tag, timeout))
    else:
        results, wall = asyncio.run(_burst(url, event_id, n, tag, timeout))
    outcomes = {}
    for outcome, _latency in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    latencies = [latency for outcome, latency in results if isinstance(outcome, int)]
    counts = event_counts(event_id)
    report = {
        "requests": n,
        "answers": {str(k): v for k, v in sorted(outcomes.items(), key=str)},
        "reset_or_refused": sum(outcomes.get(k, 0) for k in ("reset", "refused")),
        "timeouts": outcomes.get("timeout", 0),
        "5xx": sum(v for k, v in outcomes.items() if isinstance(k, int) and k >= 500),
        "confirmed": counts.get("confirmed", 0),
        "waitlisted": counts.get("waitlisted", 0),
        "wall_s": round(wall, 2),
        "registrations_per_s": round(n / wall, 1),
        "p50_ms": round(_percentile(latencies, 0.5) * 1000) if latencies else None,
        "p95_ms": round(_percentile(latencies, 0.95) * 1000) if latencies else None,
        "pg_peak_connections": pg.peak if pg else None,
        "pg_samples": pg.samples if pg else None,
    }
    report["ok"] = (
        report["reset_or_refused"] == 0
        and report["timeouts"] == 0
        and report["5xx"] == 0
        # The same answer for every address, known or not (issue 12): 202 « accepted ».
        and outcomes.get(202, 0) == n
        and report["confirmed"] == capacity
        and report["waitlisted"] == n - capacity
    )
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("demo", "serve"), default="demo")
    parser.add_argument("--url", help="a server already running (then --database-url is its)")
    parser.add_argument("--port", type=int)
    parser.add_argument("--database-url")
    parser.add_argument("--bursts", default="60,1000")
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="maillage-burst-"))
    database_url = args.database_url or (
        DEFAULT_PG if args.mode == "serve" else f"sqlite:///{var_dir / 'maillage.sqlite3'}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MAILLAGE_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "MAILLAGE_RATELIMIT_ENABLE": "0",
        "LOG_LEVEL": "WARNING",
        "MAILLAGE_LOG_LEVEL": "WARNING",  # the request lines of 1,000 requests: not needed
    }
    port = args.port or (8103 if args.mode == "demo" else 8104)
    processes = []
    log = open(var_dir / "servers.log", "w")  # noqa: SIM115 - kept open for the subprocesses
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            url = f"http://127.0.0.1:{port}"
            processes = start_servers(args.mode, port, database_url, env, log)
        _wait_healthy(url, processes[0] if processes else None)
        django_setup(env)
        print(f"server: {args.url or args.mode} at {url}, database: {database_url}")
        all_ok = True
        for n in [int(x) for x in args.bursts.split(",")]:
            report = burst_run(
                url, n, capacity=args.capacity, timeout=args.timeout, database_url=database_url
            )
            all_ok &= report["ok"]
            print(json.dumps(report, ensure_ascii=False))
    finally:
        stop_servers(processes)
        log.close()
    if all_ok:
        shutil.rmtree(var_dir, ignore_errors=True)
    else:
        print(f"servers' log: {var_dir / 'servers.log'}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
