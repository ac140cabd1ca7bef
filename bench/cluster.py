"""Benchmark: Maillage as a cluster on this machine, under load and faults (issue 18).

    .venv/bin/python bench/cluster.py [--duration 180] [--users 20] [--redis 127.0.0.1:6379]
        [--broker-db 8] [--cache-db 9] [--keep] [--check]

What it starts (haproxy on 8860, app servers on 8301-8302, the SMTP sink on 8399, PostgreSQL
5440-5441, its own; Redis databases --broker-db
and --cache-db, flushed, no other):
- a PostgreSQL primary (`pg_createcluster` on 5440) and a streaming replica (`pg_basebackup -R`
  on 5441), dropped at the end whatever happens;
- the reference data and the demo accounts, a public event, a counsellor's API token;
- two app servers (`maillage serve`, 1 process x 4 threads each, 8301 and 8302), two workers
  and one scheduler on the broker queue (RQ, `MAILLAGE_TASK_BROKER_URL`), the cache and the
  sessions in Redis (`MAILLAGE_CACHE_URL`), the reports on the replica (`DATABASE_REPLICA_URL`),
  emails to an SMTP sink (aiosmtpd, 8399) that records each Message-ID;
- haproxy on 8860 from deploy/haproxy/haproxy.cfg (ports changed, maxconn set to the bench's
  threads less one, a runtime socket added; its log, one line per request, is read after);
- locust, headless, --users, bench/cluster_locust.py, for --duration seconds, in three equal
  phases: one app server (web2 disabled in haproxy), two app servers, then two app servers
  while web1 and worker 1 are SIGKILLed and restarted.

Then it waits for the queue to drain and reports: req/s and p95 per journey in phases 1 and 2,
the requests that failed (whether they were in flight on web1 when it was killed, whether the
client's retry of the same request succeeded; haproxy's own log beside), referrals, registrations
and emails lost or duplicated (database, outbox, SMTP sink: copies and distinct Message-IDs),
the replica lag the dashboards showed, the load average. The last line is JSON; `--check` (CI)
exits 1 when a guarantee fails. Rate limits are off for the run (one client address).
Bounded: locust's own --run-time, a deadline on every wait; everything is stopped at the end.
"""

import argparse
import calendar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
PYTHON = sys.executable
LB, WEB1, WEB2, SMTP = 8860, 8301, 8302, 8399
# Each app server: one process of WEB_THREADS threads; haproxy sends it at most one request
# fewer (deploy/haproxy/haproxy.cfg: maxconn below the threads), so /readyz finds a thread.
WEB_THREADS = 4
PRIMARY_PORT, REPLICA_PORT = 5440, 5441
JOURNEYS = ("routing", "registration", "inbox", "referral_send", "dashboard")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_until(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # not ready yet
            pass
        time.sleep(0.3)
    raise SystemExit(f"délai dépassé ({timeout} s) : {what}")


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status == 200
    except OSError:
        return False


# --- PostgreSQL clusters of its own -----------------------------------------------------------
def clusters_create():
    from tests.faults.clusters import VERSION, Cluster, _run

    primary, replica = Cluster("bench5440", PRIMARY_PORT), Cluster("bench5441", REPLICA_PORT)
    for cluster in (primary, replica):
        cluster.drop()  # left by an interrupted run
    _run("pg_createcluster", VERSION, primary.name, "-p", str(PRIMARY_PORT), "--", "--auth=trust")
    primary.ctl("start")
    _run("createdb", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "maillage")
    return primary, replica


def replica_start(primary, replica):
    from tests.faults.clusters import VERSION, _run

    _run("pg_createcluster", VERSION, replica.name, "-p", str(REPLICA_PORT), "--", "--auth=trust")
    for entry in replica.data_dir.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    _run(
        *("runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1"),
        *("-p", str(primary.port), "-U", "postgres", "-D", str(replica.data_dir)),
        *("-R", "-X", "stream", "-c", "fast"),
        timeout=300,
    )
    replica.ctl("start")


# --- an SMTP sink ------------------------------------------------------------------------------
class Sink:
    def __init__(self):
        self.message_ids = []

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.message_ids.append(line.split(":", 1)[1].strip())
                break
        return "250 OK"


# --- haproxy -----------------------------------------------------------------------------------
def haproxy_config(var):
    text = (ROOT / "deploy/haproxy/haproxy.cfg").read_text()
    text = text.replace(
        "log stdout format raw local0",
        f"log stdout format raw local0\n    stats socket {var}/haproxy.sock level admin",
    )
    text = text.replace(" maxconn 12 ", f" maxconn {WEB_THREADS - 1} ")
    text = text.replace("127.0.0.1:8080", f"127.0.0.1:{LB}")
    text = text.replace("127.0.0.1:8001", f"127.0.0.1:{WEB1}")
    text = text.replace("127.0.0.1:8002", f"127.0.0.1:{WEB2}")
    path = var / "haproxy.cfg"
    path.write_text(text)
    subprocess.run(["haproxy", "-c", "-f", str(path)], check=True, capture_output=True)
    return path


def haproxy_command(var, command):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(var / "haproxy.sock"))
        sock.sendall(command.encode() + b"\n")
        return sock.recv(65536).decode()


# --- processes ---------------------------------------------------------------------------------
class Processes:
    def __init__(self, env, var):
        self.env, self.var, self.running = env, var, {}

    def start(self, name, argv):
        out = open(self.var / f"{name}.log", "ab")  # noqa: SIM115 - kept with the process
        self.running[name] = subprocess.Popen(
            argv,
            env=self.env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def maillage(self, name, *args):
        self.start(name, [PYTHON, "-m", "maillage.cli", *args])

    def kill(self, name):
        process = self.running[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def web(processes, name, port):
    processes.maillage(
        name,
        *("serve", "--bind", f"127.0.0.1:{port}"),
        *("--workers", "1", "--threads", str(WEB_THREADS)),
    )


# --- data --------------------------------------------------------------------------------------
def django_setup(env):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    import django

    django.setup()


def data_prepare():
    """The schema, the reference data and the demo accounts (not the whole demo: minutes)."""
    from django.core.management import call_command

    from maillage.accounts import demo
    from maillage.core.reference import reference_load_all

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    reference_load_all()
    demo.build()


def fixtures_make():
    """A public event (large: every registration is accepted), a counsellor's API token."""
    from datetime import timedelta

    from django.utils import timezone

    from maillage.accounts.models import User
    from maillage.accounts.services import api_token_create
    from maillage.events.enums import EventKind
    from maillage.events.services import event_create
    from maillage.partners.models import Organisation

    coordinator = User.objects.get(email="coordination@region-idf.demo")
    starts = timezone.now() + timedelta(days=14)
    event = event_create(
        actor=coordinator,
        organisation=Organisation.objects.get(slug="afdas"),
        title="Forum de l'emploi (banc d'essai du cluster)",
        kind=EventKind.values[0],
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=100000,
        venue="Salle des fêtes",
        publish=True,
    )
    counsellor = User.objects.get(email="conseiller@afdas.demo")
    _token, raw = api_token_create(user=counsellor, name="banc d'essai")
    return event.pk, raw


def send_target(base, token):
    """An operator that accepts the counsellor's referrals (probed once through the API)."""
    for slug in ("fongecif-idf", "apec", "pole-emploi", "cheops-idf", "unifaf-idf"):
        body = json.dumps(
            {
                "person": {
                    "first_name": "Sonde",
                    "last_name": f"Essai {slug}",
                    "email": "sonde@exemple.fr",
                },
                "profile": {"department": "75", "status": "employed_private"},
                "to": slug,
                "need": f"bench-probe:{slug}",
                "consent": {"given": True, "method": "in_person"},
            }
        ).encode()
        request = urllib.request.Request(
            f"{base}/api/v1/referrals",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                if answer.status == 201:
                    return slug
        except urllib.error.HTTPError as error:
            log(f"  {slug} : {error.code} {error.read()[:200]!r}")
    raise SystemExit("aucun opérateur n'accepte l'orientation de la sonde")


def baseline():
    from maillage.core.models import OutgoingEmail

    last = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def outcome_counts(event_id, email_from, records, sink):
    from django.db import connections

    from maillage.core.scoping import scopes_disabled

    connections.close_all()
    with scopes_disabled():  # the bench counts across every organisation
        return _outcome_counts(event_id, email_from, records, sink)


def _outcome_counts(event_id, email_from, records, sink):
    from django.db.models import Count

    from maillage.core.email import message_id_of
    from maillage.core.models import OutgoingEmail
    from maillage.events.models import Registration
    from maillage.referrals.models import Referral

    acked_refs = {
        r["acked"] for r in records if r.get("journey") == "referral_send" and "acked" in r
    }
    acked_regs = {
        r["acked"] for r in records if r.get("journey") == "registration" and "acked" in r
    }
    refs = dict(
        Referral.objects.filter(need__startswith="bench-cluster:")
        .values("need")
        .annotate(n=Count("id"))
        .values_list("need", "n")
    )
    regs = dict(
        Registration.objects.filter(event_id=event_id, email__startswith="bench-")
        .values("email")
        .annotate(n=Count("id"))
        .values_list("email", "n")
    )
    emails = OutgoingEmail.objects.filter(pk__gt=email_from)
    keys = list(emails.values_list("dedup_key", flat=True))
    expected_ids = {message_id_of(k) for k in keys}
    received = [m for m in sink.message_ids if m in expected_ids]
    return {
        "referrals": {
            "acknowledged": len(acked_refs),
            "in_database": len(refs),
            "lost": len(acked_refs - set(refs)),
            "duplicated": sum(1 for n in refs.values() if n > 1),
        },
        "registrations": {
            "acknowledged": len(acked_regs),
            "in_database": len(regs),
            "lost": len(acked_regs - set(regs)),
            "duplicated": sum(1 for n in regs.values() if n > 1),
        },
        "emails": {
            "outbox": len(keys),
            "unsent": emails.filter(sent_at__isnull=True).count(),
            # Counted both ways: the copies the SMTP server received, and the distinct emails
            # (Message-IDs) among them; a copy is an email sent again after a worker was killed
            # between the server's acceptance and the outbox row marked sent.
            "copies_received": len(received),
            "distinct_received": len(set(received)),
            "lost": len(expected_ids - set(received)),
            "duplicated": len(received) - len(set(received)),
        },
    }


# --- figures -----------------------------------------------------------------------------------
def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def phase_figures(records, start, end):
    by = defaultdict(list)
    for r in records:
        if "ms" in r and start <= r["t"] < end and r.get("attempt", 0) == 0:
            by[r["journey"]].append(r)
    seconds = max(end - start, 1e-9)
    return {
        j: {
            "requests": len(by[j]),
            "rps": round(len(by[j]) / seconds, 2),
            "p95_ms": round(percentile([r["ms"] for r in by[j] if r["ok"]], 0.95)),
            "failed": sum(1 for r in by[j] if not r["ok"]),
        }
        for j in JOURNEYS
    }


def failures(records, kill_at):
    """The requests whose first attempt failed, by the client's own record: whether the same
    request (its `call`), sent again by the client, succeeded, and whether the first attempt
    was in flight when web1 was killed (sent before, not answered before)."""
    calls = defaultdict(list)
    for r in records:
        if "ms" in r:
            calls[r["call"]].append(r)
    failed = []
    for attempts in calls.values():
        attempts.sort(key=lambda r: r["attempt"])
        if not attempts[0]["ok"]:
            first = attempts[0]
            sent = first["t"] - first["ms"] / 1000
            failed.append(
                {
                    "journey": first["journey"],
                    "status": first["status"],
                    "attempts": len(attempts),
                    "retried_ok": attempts[-1]["ok"],
                    "in_flight_at_kill": sent <= kill_at <= first["t"],
                    "seconds_after_kill": round(first["t"] - kill_at, 1),
                }
            )
    return failed


HAPROXY_LINE = re.compile(
    r"\[(?P<date>[^\]]+)\] \S+ [^/ ]+/(?P<server>\S+) (?P<timers>\S+) (?P<status>-?\d+) "
    r"\S+ \S+ \S+ (?P<term>\S{4}) \S+/\S+/\S+/\S+/(?P<retries>\+?\d+) \S+ "
    r"\"(?P<method>\S+) (?P<path>\S+)"
)


def haproxy_log(path, kill_at, since):
    """haproxy's own account (one line per request): the 5xx it answered, on which server,
    how the session ended (`SH`: the server closed it mid-request), and the requests it sent
    again to another server (`retries` > 0)."""
    errors, retried = defaultdict(int), defaultdict(int)
    for line in path.read_text(errors="replace").splitlines():
        found = HAPROXY_LINE.search(line)
        if not found:
            continue
        # haproxy runs with TZ=UTC (Django sets this process's TZ to Paris).
        seconds, _, millis = found["date"].partition(".")
        when = calendar.timegm(time.strptime(seconds, "%d/%b/%Y:%H:%M:%S")) + int(millis) / 1000
        if when < int(since):
            continue  # the bench's own probes before the load
        # The date is when haproxy accepted the request, the last timer how long it took: the
        # requests of the kill are those still running at it or begun in the 15 s after it.
        ended = when + max(0, int(found["timers"].rsplit("/", 1)[-1])) / 1000
        phase = "kill" if ended >= kill_at - 0.5 and when <= kill_at + 15 else "elsewhere"
        if found["retries"] != "0":
            retried[f"{found['method']} {phase}"] += 1
        if found["status"].startswith("5") or found["status"] == "-1":
            key = f"{found['server']} {found['status']} {found['term']} {found['method']} {phase}"
            errors[key] += 1
    return {"errors": dict(errors), "replayed": dict(retried)}


def guarantees_broken(report):
    """What the run must show (issue 18), in French; empty when all hold. An email received
    twice is reported, not refused: SMTP is at least once (see core/email.py)."""
    if "referrals" not in report:
        return ["le banc d'essai s'est arrêté avant la fin"]
    broken = []
    if not report["queue_drained"]:
        broken.append("la file ne s'est pas vidée")
    if report["failed_otherwise"]:
        broken.append(
            f"{len(report['failed_otherwise'])} requête(s) en échec hors de celles en cours "
            "sur le serveur tué"
        )
    if report["failed_then_retried_ok"] != report["failed_requests"]:
        broken.append("une requête en échec a encore échoué quand le client l'a renvoyée")
    for what in ("referrals", "registrations"):
        if report[what]["lost"] or report[what]["duplicated"]:
            broken.append(f"{what} : perdues ou en double")
    if report["emails"]["lost"] or report["emails"]["unsent"]:
        broken.append("des e-mails perdus ou jamais envoyés")
    return broken


# --- the run -----------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=180)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--redis", default="127.0.0.1:6379")
    parser.add_argument("--broker-db", type=int, default=8)
    parser.add_argument("--cache-db", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="Garder le dossier de travail.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="Code de sortie 1 si une garantie manque (pour l'intégration continue).",
    )
    args = parser.parse_args()
    started = time.monotonic()
    var = Path(tempfile.mkdtemp(prefix="maillage-cluster-"))
    broker = f"redis://{args.redis}/{args.broker_db}"
    cache = f"redis://{args.redis}/{args.cache_db}"
    import redis

    for url in (broker, cache):
        redis.Redis.from_url(url).flushdb()  # its own databases only
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "MAILLAGE_VAR_DIR": str(var),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/maillage",
        "MAILLAGE_TASK_BROKER_URL": broker,
        "MAILLAGE_CACHE_URL": cache,
        "MAILLAGE_MEDIA_ROOT": str(var / "shared-media"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,maillage.example.org",
        "SITE_URL": f"http://127.0.0.1:{LB}",
        "MAILLAGE_RATELIMIT_ENABLE": "0",
        "MAILLAGE_WORKER_LEASE_SECONDS": "10",
        "MAILLAGE_RETRY_DELAY_SCALE": "0.1",
        # The scheduler's slots and the sweep of work accepted but never queued, shortened.
        "MAILLAGE_SCHEDULER_INTERVAL_SECONDS": "15",
        "MAILLAGE_BROKER_ORPHAN_SECONDS": "10",
        "DEBUG": "0",
        "LOG_FORMAT": "text",
        "PYTHONUNBUFFERED": "1",
    }
    processes = Processes(env, var)
    primary, replica = clusters_create()
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=SMTP)
    smtp.start()
    report = {}
    try:
        log("Schéma, référentiels et comptes de démonstration sur le primaire…")
        django_setup(env)
        data_prepare()
        event_id, token = fixtures_make()
        email_from = baseline()
        from django.db import connections

        connections.close_all()
        log("Réplique en flux (pg_basebackup)…")
        replica_start(primary, replica)
        env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/maillage"
        log("Deux serveurs, deux workers, un planificateur, haproxy…")
        web(processes, "web1", WEB1)
        web(processes, "web2", WEB2)
        processes.maillage("worker1", "worker")
        processes.maillage("worker2", "worker")
        processes.maillage("scheduler", "scheduler")
        config = haproxy_config(var)
        processes.start("haproxy", ["env", "TZ=UTC", "haproxy", "-db", "-f", str(config)])
        for port in (WEB1, WEB2):
            wait_until(
                lambda p=port: http_ok(f"http://127.0.0.1:{p}/readyz"),
                timeout=180,
                what=f"serveur {port} prêt",
            )
        wait_until(lambda: http_ok(f"http://127.0.0.1:{LB}/healthz"), timeout=60, what="haproxy")
        send_to = send_target(f"http://127.0.0.1:{LB}", token)
        records_path = var / "records.jsonl"
        phase = args.duration / 3
        log(f"Charge : {args.users} personnes, {args.duration} s, 3 phases de {phase:.0f} s.")
        haproxy_command(var, "disable server maillage_web/web2")
        locust = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench/cluster_locust.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.duration}s",
                "--host",
                f"http://127.0.0.1:{LB}",
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            env={
                **env,
                "BENCH_RECORDS": str(records_path),
                "BENCH_EVENT_ID": str(event_id),
                "BENCH_API_TOKEN": token,
                "BENCH_SEND_TO": send_to,
            },
            cwd=ROOT,
            stdout=open(var / "locust.log", "wb"),  # noqa: SIM115 - kept with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        t0 = time.time()
        loads = {"start": os.getloadavg()}
        marks = {"one": (t0 + 5, t0 + phase)}  # the first seconds: users arriving
        time.sleep(phase)
        loads["one_server_end"] = os.getloadavg()
        haproxy_command(var, "enable server maillage_web/web2")
        t1 = time.time()
        time.sleep(3)  # haproxy's health check marks it up, slowstart
        marks["two"] = (t1 + 5, t1 + phase)
        time.sleep(phase - 3)
        t2 = time.time()
        loads["two_servers_end"] = os.getloadavg()
        time.sleep(5)
        log("SIGKILL du serveur web1 et du worker 1.")
        kill_at = time.time()
        processes.kill("web1")
        processes.kill("worker1")
        time.sleep(5)
        web(processes, "web1", WEB1)
        processes.maillage("worker1", "worker")
        log("web1 et worker 1 relancés.")
        locust.wait(timeout=args.duration + 60)
        marks["faults"] = (t2, time.time())
        loads["end"] = os.getloadavg()
        log("Fin de la charge : la file se vide…")
        from maillage.core.models import OutgoingEmail

        connections.close_all()
        drained = True
        try:
            wait_until(
                lambda: (
                    not OutgoingEmail.objects.filter(
                        pk__gt=email_from, sent_at__isnull=True
                    ).exists()
                    and redis.Redis.from_url(broker).llen("rq:queue:default") == 0
                ),
                timeout=120,
                what="tous les e-mails envoyés",
            )
        except SystemExit as timeout:
            log(str(timeout))
            drained = False
        records = [json.loads(line) for line in records_path.read_text().splitlines()]
        failed = failures(records, kill_at)
        lags = [r["lag"] for r in records if r.get("journey") == "dashboard" and "lag" in r]
        report = {
            "users": args.users,
            "load_average_1_5_15": {k: [round(x, 1) for x in v] for k, v in loads.items()},
            "queue_drained": drained,
            "duration_s": args.duration,
            "one_server": phase_figures(records, *marks["one"]),
            "two_servers": phase_figures(records, *marks["two"]),
            "faults_phase": phase_figures(records, *marks["faults"]),
            "failed_requests": len(failed),
            "failed_in_flight_at_kill": sum(1 for f in failed if f["in_flight_at_kill"]),
            "failed_otherwise": [f for f in failed if not f["in_flight_at_kill"]],
            "failed_then_retried_ok": sum(1 for f in failed if f["retried_ok"]),
            "failed_statuses": sorted({f["status"] for f in failed}),
            "failed_journeys": sorted({f["journey"] for f in failed}),
            "haproxy": haproxy_log(var / "haproxy.log", kill_at, t0),
            "tasks_taken_up_after_kill": sum(
                (var / f"worker{n}.log").read_text(errors="replace").count("abandonnée")
                for n in (1, 2)
            ),
            "signed_out_inbox": sum(1 for r in records if r.get("signed_out")),
            "replica_lag_s": {
                "max": max(lags, default=None),
                "p95": percentile(lags, 0.95),
                "pages": len(lags),
                "on_replica": sum(1 for r in records if r.get("replica")),
            },
            **outcome_counts(event_id, email_from, records, sink),
        }
    finally:
        processes.stop_all()
        smtp.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        replica.drop()
        primary.drop()
        for url in (broker, cache):
            redis.Redis.from_url(url).flushdb()
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
    report["total_seconds"] = round(time.monotonic() - started)
    log(f"Terminé en {report['total_seconds']} s.")
    print(json.dumps(report, ensure_ascii=False))
    if args.check:
        broken = guarantees_broken(report)
        for reason in broken:
            log(f"ÉCHEC : {reason}")
        if broken:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
