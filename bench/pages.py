"""Public pages against the framework's ceiling, through the production server (issue 19).

  .venv/bin/python bench/pages.py [--port 8881] [--duration 8] [--connections 8] [--rounds 2]
      [--database-url postgres://postgres@127.0.0.1:5432/maillage_speed_pages]

Prepares the demo data (`maillage demo --no-serve`, SQLite in a temporary var dir unless
--database-url names a PostgreSQL database, which is dropped and re-created), starts `maillage
serve` (gunicorn, src/maillage/gunicorn_conf.py: 2 workers x 8 threads, DEBUG off, rate limits
off) with `MAILLAGE_BENCH_VIEWS=1`, which routes a bare Django view `/bench/bare` (the whole
middleware stack, no work). Then `wrk` (Debian package) on 127.0.0.1, --connections keep-alive
connections, --duration seconds per URL, each URL measured --rounds times in turn (best
round kept), every run bounded by wrk's own duration and timeout. Pages: the home page, the
directory, the finder result, the events list, "Qui propose quoi", and the API routing decision
(POST /api/v1/routing/decisions); baselines: /bench/bare for the pages, /healthz for the API.
Targets: each page >= 35 % of the bare view's requests/s, the API decision >= 60 % of /healthz.
The last line sums up the ratios.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

PAGES = [
    ("bare view", "/bench/bare", None),
    ("healthz", "/healthz", None),
    ("home", "/", "bare view"),
    ("directory", "/annuaire/", "bare view"),
    (
        "finder result",
        "/trouver-mon-conseiller/resultat/?department=75&status=job_seeker&age=30",
        "bare view",
    ),
    ("events list", "/evenements/", "bare view"),
    ("qui propose quoi", "/qui-propose-quoi/", "bare view"),
    ("API decision", "/api/v1/routing/decisions", "healthz"),
]
TARGETS = {"bare view": 0.35, "healthz": 0.60}
API_BODY = json.dumps({"department": "75", "status": "job_seeker", "age": 30})


def _maillage(*args):
    return [PYTHON, "-m", "maillage.cli", *args]


def _pg_recreate(database_url):
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _wait_healthy(url, process, deadline=180):
    limit = time.monotonic() + deadline
    while time.monotonic() < limit:
        if process.poll() is not None:
            raise SystemExit(f"le serveur s'est arrêté (code {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} ne répond pas après {deadline} s")


def _check(url, path):
    """One request first: the page must answer 200 (a bench of error pages proves nothing)."""
    data = API_BODY.encode() if path.startswith("/api/") else None
    request = urllib.request.Request(
        f"{url}{path}", data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200, (path, answer.status)
        return len(answer.read())


def _wrk(url, path, *, duration, connections, script_dir):
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
    if path.startswith("/api/"):
        script = Path(script_dir) / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = '{API_BODY}'\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        argv += ["-s", str(script)]
    text = subprocess.run(
        [*argv, f"{url}{path}"], capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sockets = re.search(r"Socket errors: (.*)", text)

    def ms(match):
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": rate,
        "p50": ms(p50),
        "p99": ms(p99),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sockets.group(1) if sockets else "",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8881)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--no-page-cache", action="store_true", help="MAILLAGE_PUBLIC_CACHE_SECONDS=0"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk manque : apt-get install wrk")
    var_dir = tempfile.mkdtemp(prefix="maillage-pages-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "MAILLAGE_VAR_DIR": var_dir,
        "MAILLAGE_BENCH_VIEWS": "1",
        "MAILLAGE_RATELIMIT_ENABLE": "0",
        "MAILLAGE_WEB_LOG_LEVEL": "warning",
        "DEBUG": "0",
    }
    if args.no_page_cache:
        env["MAILLAGE_PUBLIC_CACHE_SECONDS"] = "0"
    if args.database_url:
        _pg_recreate(args.database_url)
        env["DATABASE_URL"] = args.database_url
    log = open(Path(var_dir) / "server.log", "w")  # noqa: SIM115 — closed at the end
    began = time.perf_counter()
    subprocess.run(
        _maillage("demo", "--no-serve"), env=env, cwd=ROOT, check=True, stdout=log, stderr=log,
        timeout=900,
    )  # fmt: skip
    print(f"données de démonstration prêtes en {time.perf_counter() - began:.0f} s", flush=True)
    url = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        _maillage("serve", "--bind", f"127.0.0.1:{args.port}"),
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    results = {}
    try:
        _wait_healthy(url, server)
        for _name, path, _base in PAGES:
            _check(url, path)
            _wrk(url, path, duration=1, connections=2, script_dir=var_dir)  # warm-up
        for _round in range(args.rounds):
            for name, path, _base in PAGES:
                result = _wrk(
                    url, path, duration=args.duration, connections=args.connections,
                    script_dir=var_dir,
                )  # fmt: skip
                if name not in results or result["rps"] > results[name]["rps"]:
                    results[name] = result
                print(
                    f"  {name:18} {result['rps']:8.1f} req/s  p50 {result['p50']:6.1f} ms  "
                    f"p99 {result['p99']:6.1f} ms  non-2xx {result['non2xx']}",
                    flush=True,
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    print("\n| page | req/s | p50 ms | p99 ms | baseline | ratio | target |")
    print("|---|---|---|---|---|---|---|")
    summary, ok = [], True
    for name, _path, base in PAGES:
        r = results[name]
        if base is None:
            print(f"| {name} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | — | — | — |")
            continue
        ratio = r["rps"] / results[base]["rps"]
        ok &= ratio >= TARGETS[base] and r["non2xx"] == 0
        summary.append(f"{name.replace(' ', '_')}={ratio:.2f}")
        print(
            f"| {name} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {base} | "
            f"{ratio:.0%} | ≥ {TARGETS[base]:.0%} |"
        )
    print(" ".join(summary) + f" all_met={ok}")
    shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
