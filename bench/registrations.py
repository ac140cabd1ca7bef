"""Benchmark: 1,000 concurrent public registrations for 100 seats, through the production server.

    .venv/bin/python bench/registrations.py [--requests 1000] [--capacity 100] [--baseline 200]
        [--path both|api|page] [--workers 2] [--threads 6] [--worker-class gthread|sync]
        [--port 8200] [--profile cpu|wall] [--deadline 900] [--timeout 120]
        [--database-url postgres://postgres@127.0.0.1:5432/maillage_events_bench | sqlite]

Creates (drops first) the database — a PostgreSQL one, or SQLite in a temporary folder —
migrates, creates the events (a warm-up one, then for each path measured a one-client event and
a concurrent one), and starts `maillage serve` (gunicorn, `gunicorn_conf.py`, DEBUG off,
persistent connections as in production; rate limits off by `MAILLAGE_RATELIMIT_ENABLE=0`,
for the bench only) on 127.0.0.1:--port. For each path, in the same run:

- one client: `--baseline` registrations one after the other, for an event of
  capacity x baseline / requests seats (the same mix of confirmed and waitlisted);
- `--requests` clients at once (asyncio, one connection each), for `--capacity` seats.

Paths: `api` is `POST /api/v1/events/<id>/registrations` (JSON, 202); `page` is the public form,
`POST /evenements/<id>/inscription` with the CSRF cookie and token each client took from the
event page beforehand (untimed, as a person opens the page before registering), 302.

Checks, from the database: exactly `capacity` confirmed and the others waitlisted, no error,
the waiting list in order (by time, then id, which is the order of the seat lock) and every
waitlisted person told their true position in the queued email; every registration has its
email queued. Prints registrations/s with one client and with N, their ratio, p50/p95, the load
average before and after. `--profile` serves through `bench/profiled_wsgi.py` (cProfile of every
registration inside the gunicorn workers, CPU or wall time) and prints the top functions.
Bounded: every request has a timeout, the run a deadline; the server is stopped and the
PostgreSQL database dropped at the end. tests/events/test_concurrency.py checks the same
guarantees on a small scale.
"""

import argparse
import asyncio
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from maillage.events.models import Event, EventOrganiser
from maillage.partners.models import Organisation
org, _ = Organisation.objects.get_or_create(
    slug="bench-operateur", defaults={"name": "Bench", "kind": "operator"})
now = timezone.now()
ids = {}
for name, capacity in json.loads(SPEC).items():
    event = Event.objects.create(
        title=f"Bench {name}", kind="forum", status="published",
        starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=3),
        venue="Salle", capacity=capacity, lead_organisation=org, published_at=now)
    EventOrganiser.objects.create(event=event, organisation=org, is_lead=True)
    ids[name] = event.pk
print("EVENTS", json.dumps(ids))
"""

# What the database says of each event after the run (the answers do not tell the statuses).
CHECK = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
from maillage.events.models import Registration
from maillage.events.seats import seats_for
from maillage.events.models import Event
ids = json.loads(IDS)
told = {}
for args in DBTaskResult.objects.filter(
        task_path__endswith="registration_email_task").values_list("args_kwargs", flat=True):
    kwargs = args["kwargs"]
    told.setdefault(kwargs["registration_id"], []).append(
        (kwargs["template"], kwargs["extra"].get("position")))
out = {}
for event_id in ids:
    rows = list(Registration.objects.filter(event_id=event_id).values_list(
        "pk", "status", "confirmed_at", "waitlisted_at"))
    waiting = sorted((w, pk) for pk, s, c, w in rows if s == "waitlisted")
    confirmed = [c for pk, s, c, w in rows if s == "confirmed"]
    positions = [told.get(pk, [(None, None)])[0] for _w, pk in waiting]
    out[event_id] = {
        "statuses": dict(Counter(s for _pk, s, _c, _w in rows)),
        "seats_left": seats_for(Event.objects.get(pk=event_id), with_names=False).left(),
        "emails_queued": sum(len(told.get(pk, [])) for pk, *_ in rows),
        "waitlist_by_time_is_by_id": [pk for _w, pk in waiting] == sorted(pk for _w, pk in waiting),
        "waitlist_positions_told_right": positions == [
            ("waitlisted", rank) for rank in range(1, len(waiting) + 1)],
        "confirmed_before_waitlisted": not waiting or not confirmed
            or max(confirmed) <= waiting[0][0],
    }
print("CHECK", json.dumps(out))
"""


def _env(args, var_dir):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="maillage.settings",
        MAILLAGE_VAR_DIR=str(var_dir),
        DEBUG="0",
        LOG_LEVEL="ERROR",
        MAILLAGE_WEB_LOG_LEVEL="warning",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # Every client comes from 127.0.0.1: no per-address limit, for the bench only.
        MAILLAGE_RATELIMIT_ENABLE="0",
    )
    if args.database_url != "sqlite":
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    if args.worker_class != "gthread":
        env["GUNICORN_CMD_ARGS"] = f"--worker-class {args.worker_class}"
    if args.profile:
        env["BENCH_PROFILE"] = args.profile
        env["BENCH_PROFILE_DIR"] = str(Path(var_dir) / "profiles")
    return env


def _maillage(env, *argv, timeout=300):
    return subprocess.run(
        [PYTHON, "-m", "maillage.cli", *argv],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=timeout,
        capture_output=True,
        text=True,
    ).stdout


def _pg_admin(database_url, *statements):
    import psycopg

    base, _name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _shell_json(env, code, marker):
    out = _maillage(env, "shell", "-c", code, timeout=300)
    return json.loads(out.split(marker, 1)[1])


@contextmanager
def server(args, env, var_dir, *, deadline=120):
    """`maillage serve` (or gunicorn on bench/profiled_wsgi.py with --profile) on
    127.0.0.1:--port; yields when /healthz answers; always stopped."""
    bind = f"{HOST}:{args.port}"
    sizes = ["--workers", str(args.workers), "--threads", str(args.threads)]
    if args.profile:
        argv = [PYTHON, "-m", "gunicorn", "--config", "python:maillage.gunicorn_conf"]
        argv += ["--bind", bind, *sizes, "bench.profiled_wsgi:application"]
    else:
        argv = [PYTHON, "-m", "maillage.cli", "serve", "--bind", bind, *sizes]
    log = open(Path(var_dir) / "server.log", "wb")  # noqa: SIM115 — closed below
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=log)
    args.server_pid = process.pid
    try:
        started = time.monotonic()
        while True:
            try:
                with urllib.request.urlopen(f"http://{bind}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() - started > deadline:
                raise RuntimeError("le serveur n'a pas démarré (voir server.log)")
            time.sleep(0.3)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# --- the clients ---------------------------------------------------------------------------
async def _http(port, method, path, *, body=b"", headers=(), timeout):
    """One request on its own connection: (status, seconds, raw answer); status 0 on failure."""
    started = time.perf_counter()
    head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers]
    if body:
        head.append(f"Content-Length: {len(body)}")
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), timeout)
        finally:
            writer.close()
        status = int(raw.split(b" ", 2)[1])
    except (OSError, TimeoutError, ValueError, IndexError):
        return 0, time.perf_counter() - started, b""
    return status, time.perf_counter() - started, raw


def _person(index, tag):
    return {
        "first_name": "Personne",
        "last_name": f"N{index}",
        "email": f"personne{index}.{tag}@bench.exemple",
        "phone": "",
    }


async def _csrf(port, event_id, timeout):
    """The CSRF cookie and form token a person's browser gets with the event page."""
    status, _s, raw = await _http(port, "GET", f"/evenements/{event_id}/", timeout=timeout)
    cookie = re.search(rb"Set-Cookie: csrftoken=([^;]+)", raw, re.I)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', raw)
    if status != 200 or not cookie or not token:
        raise RuntimeError(f"page de l'évènement : {status}, pas de jeton CSRF")
    return cookie.group(1).decode(), token.group(1).decode()


def _request(path_kind, event_id, person, csrf):
    if path_kind == "api":
        return (
            f"/api/v1/events/{event_id}/registrations",
            json.dumps(person).encode(),
            [("Content-Type", "application/json")],
        )
    cookie, token = csrf
    return (
        f"/evenements/{event_id}/inscription",
        urlencode({**person, "csrfmiddlewaretoken": token}).encode(),
        [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", f"csrftoken={cookie}")],
    )


async def _prepare(args, path_kind, event_id, count, timeout):
    """Each client's request, built before the clock starts (page: one GET each, 16 at once)."""
    csrfs = [None] * count
    if path_kind == "page":
        gate = asyncio.Semaphore(16)

        async def one(i):
            async with gate:
                csrfs[i] = await _csrf(args.port, event_id, timeout)

        await asyncio.gather(*(one(i) for i in range(count)))
    tag = f"{path_kind}{event_id}"
    return [_request(path_kind, event_id, _person(i, tag), csrfs[i]) for i in range(count)]


async def _fire(port, requests, *, concurrent, timeout):
    """Send the prepared requests, all at once or one after the other: (elapsed, results)."""

    async def one(request):
        path, body, headers = request
        status, seconds, _raw = await _http(
            port, "POST", path, body=body, headers=headers, timeout=timeout
        )
        return status, seconds

    started = time.perf_counter()
    if concurrent:
        results = await asyncio.gather(*(one(r) for r in requests))
    else:
        results = [await one(r) for r in requests]
    return time.perf_counter() - started, results


def _summary(elapsed, results, expected_status):
    codes = {}
    for status, _s in results:
        codes[status] = codes.get(status, 0) + 1
    latencies = sorted(s for _status, s in results)

    def pct(p):
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "requests": len(results),
        "seconds": round(elapsed, 2),
        "per_second": round(len(results) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "http_codes": codes,
        "answers_ok": codes == {expected_status: len(results)},
    }


def _cpu_seconds(pids):
    """User + system CPU seconds the processes used so far (0 for one that is gone)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children(parent):
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return pids


class CpuMeter:
    """CPU used by the server's workers, this client and (PostgreSQL) the database's backends."""

    def __init__(self, args, master_pid):
        self.args, self.master_pid = args, master_pid

    def _database_pids(self):
        if not self.args.database_url.startswith("postgres"):
            return []
        import psycopg

        name = self.args.database_url.rsplit("/", 1)[1]
        with psycopg.connect(self.args.database_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        return [pid for (pid,) in rows]

    def snapshot(self):
        self.server, self.database = _children(self.master_pid), self._database_pids()
        return (
            _cpu_seconds(self.server),
            time.process_time(),
            _cpu_seconds(self.database),
        )

    def per_request(self, before, count):
        after = (_cpu_seconds(self.server), time.process_time(), _cpu_seconds(self.database))
        names = ("server_ms", "client_ms", "database_ms")
        return {
            n: round(1000 * (a - b) / count, 2)
            for n, a, b in zip(names, after, before, strict=True)
        }


def _loadavg():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def run(args, env, events):
    """Both measurements of each path, in one server run; {path: {...}}."""
    timeout = args.timeout
    out = {}
    with server(args, env, args.var_dir):
        # Warm-up: every worker thread opens its database connection and loads its code.
        warm = asyncio.run(_prepare(args, "api", events["warmup"], 4 * args.threads, timeout))
        asyncio.run(_fire(args.port, warm, concurrent=True, timeout=timeout))
        for path_kind in args.paths:
            expected = 202 if path_kind == "api" else 302
            result = {"load_before": _loadavg()}
            one = asyncio.run(
                _prepare(args, path_kind, events[f"{path_kind}_one"], args.baseline, timeout)
            )
            many = asyncio.run(
                _prepare(args, path_kind, events[f"{path_kind}_many"], args.requests, timeout)
            )
            meter = CpuMeter(args, args.server_pid)
            for name, requests, concurrent in (
                ("one_client", one, False),
                ("concurrent", many, True),
            ):
                before = meter.snapshot()
                fired = asyncio.run(
                    _fire(args.port, requests, concurrent=concurrent, timeout=timeout)
                )
                result[name] = _summary(*fired, expected)
                result[name]["cpu_per_registration"] = meter.per_request(before, len(requests))
            result["ratio"] = round(
                result["concurrent"]["per_second"] / result["one_client"]["per_second"], 2
            )
            result["load_after"] = _loadavg()
            out[path_kind] = result
    return out


def _profile_report(var_dir, out, top=25):
    import pstats

    files = sorted((Path(var_dir) / "profiles").glob("*.prof"))
    if not files:
        return "pas de profil écrit"
    stats = pstats.Stats(*map(str, files))
    if out:
        stats.dump_stats(out)
    stats.strip_dirs()
    lines = []
    for key in ("tottime", "cumulative"):
        buffer = io.StringIO()
        stats.stream = buffer
        stats.sort_stats(key).print_stats(top)
        lines.append(buffer.getvalue())
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--path", choices=["both", "api", "page"], default="both")
    parser.add_argument("--workers", type=int, default=2)
    # 2 x 6: twelve persistent PostgreSQL connections at most, under a shared server's budget.
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--profile", choices=["cpu", "wall"])
    parser.add_argument("--profile-out", help="where to keep the merged profile (pstats)")
    parser.add_argument("--deadline", type=int, default=900, help="seconds for the whole run")
    parser.add_argument("--timeout", type=int, default=120, help="seconds for one request")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maillage_events_bench"
        ),
        help="a PostgreSQL URL, or `sqlite` (a file in a temporary folder)",
    )
    args = parser.parse_args()
    args.paths = ["api", "page"] if args.path == "both" else [args.path]
    # One file descriptor per client connection, all at once.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(hard, args.requests + 256):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.requests + 256), hard))
    postgres = args.database_url.startswith("postgres")
    if postgres:
        name = args.database_url.rsplit("/", 1)[1]
        _pg_admin(
            args.database_url,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"',
        )
    began = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="maillage-bench-") as var_dir:
            args.var_dir = var_dir
            env = _env(args, var_dir)
            _maillage(env, "migrate", "-v", "0")
            _maillage(env, "createcachetable")
            spec = {"warmup": 10_000}
            small = max(1, round(args.capacity * args.baseline / args.requests))
            for path_kind in args.paths:
                spec[f"{path_kind}_one"] = small
                spec[f"{path_kind}_many"] = args.capacity
            events = _shell_json(env, SETUP.replace("SPEC", repr(json.dumps(spec))), "EVENTS")
            uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout
            # The deadline: the run is stopped (and cleaned up) whatever the server does.
            signal.signal(signal.SIGALRM, lambda *_: sys.exit("délai dépassé"))
            signal.alarm(max(1, args.deadline - int(time.monotonic() - began)))
            results = run(args, env, events)
            signal.alarm(0)
            uptime_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout
            errors = (Path(var_dir) / "server.log").read_text(errors="replace")
            if "Traceback" in errors:
                print(errors[-3000:], file=sys.stderr)
            measured = [events[f"{p}_{k}"] for p in args.paths for k in ("one", "many")]
            checks = _shell_json(env, CHECK.replace("IDS", repr(json.dumps(measured))), "CHECK")
            profile = _profile_report(var_dir, args.profile_out) if args.profile else ""
    finally:
        if postgres and not args.keep_database:
            _pg_admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ok = True
    for path_kind in args.paths:
        result = results[path_kind]
        for kind, capacity, count in (
            ("one", small, args.baseline),
            ("many", args.capacity, args.requests),
        ):
            check = checks[str(events[f"{path_kind}_{kind}"])]
            check["exact"] = check["statuses"] == {
                "confirmed": capacity,
                "waitlisted": count - capacity,
            } and (check["seats_left"] == 0)
            check["all_emails_queued"] = check["emails_queued"] == count
            result["check_" + ("one_client" if kind == "one" else "concurrent")] = check
            ok &= all(v for k, v in check.items() if k not in ("statuses", "seats_left"))
            ok &= result["one_client" if kind == "one" else "concurrent"]["answers_ok"]
    summary = {
        "database": "postgresql" if postgres else "sqlite",
        "server": f"gunicorn {args.worker_class} {args.workers}x{args.threads}",
        "requests": args.requests,
        "capacity": args.capacity,
        "baseline": args.baseline,
        "results": results,
        "ok": ok,
    }
    if profile:
        print(profile)
    print("uptime avant :", uptime_before.strip())
    print("uptime après :", uptime_after.strip())
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    for path_kind in args.paths:
        r = results[path_kind]
        print(
            f"{path_kind:4}  1 client {r['one_client']['per_second']:7.1f}/s  "
            f"{args.requests} clients {r['concurrent']['per_second']:7.1f}/s  "
            f"ratio {r['ratio']:.2f}  p50 {r['concurrent']['p50_ms']} ms  "
            f"p95 {r['concurrent']['p95_ms']} ms  load {r['load_after']}"
        )
    print("OK" if ok else "ÉCHEC")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
