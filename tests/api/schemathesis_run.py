"""The API contract checked by schemathesis against the real server, with each role's token.

    .venv/bin/python tests/api/schemathesis_run.py [--port 8401] [--max-examples 200]
        [--max-time 120] [--server-cmd "…{port}…"] [--roles counsellor,manager,coordinator]

Prepares the demo (`maillage demo --no-serve`) in a temporary MAILLAGE_VAR_DIR, starts the
server (`--server-cmd`, or MAILLAGE_CONTRACT_SERVER; by default `maillage serve` where it
exists, else Django's runserver), creates a counsellor, a manager and a coordinator token,
then runs schemathesis over every operation
with each token: every phase (examples, coverage, fuzzing, stateful), every check, a bounded
number of examples and time. Prints the figures (operations, cases, failures, duration) and
exits 1 on any failure. Rate limits are off (MAILLAGE_RATELIMIT_ENABLE=0) so that the fuzzer
reaches the public routes' logic; their 429 is covered by tests/api/test_contract.py.
"""

import argparse
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = Path(__file__).with_name("schemathesis.toml")
ROLES = {
    "counsellor": "conseiller@afdas.demo",
    "manager": "responsable@afdas.demo",
    "coordinator": "coordination@region-idf.demo",
}
# The production server (`maillage serve`, gunicorn) when the project has it, else Django's.
PRODUCTION_SERVER = "{maillage} serve --bind 127.0.0.1:{port}"
DEVELOPMENT_SERVER = "{maillage} runserver 127.0.0.1:{port} --noreload"
DEFAULT_SERVER = (
    PRODUCTION_SERVER
    if importlib.util.find_spec("maillage.core.management.commands.serve")
    else DEVELOPMENT_SERVER
)


def _wait_for(url, seconds, server):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"Le serveur s'est arrêté (code {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Le serveur ne répond pas sur {url} après {seconds} s.")


def _token(env, email):
    out = subprocess.run(
        [str(BIN / "maillage"), "token", "create", "--user", email],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _run_schemathesis(args, schema_url, token, report_dir, role):
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(CONFIG),
        "run",
        schema_url,
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(args.max_examples),
        "--max-time",
        str(args.max_time),
        "--workers",
        "1",
        "--seed",
        str(args.seed),
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report_dir / f"{role}.json"),
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    started = time.monotonic()
    result = subprocess.run(command, cwd=report_dir, capture_output=True, text=True)
    duration = time.monotonic() - started
    (report_dir / f"{role}.txt").write_text(result.stdout + result.stderr)
    report = json.loads((report_dir / f"{role}.json").read_text())
    return result, report, duration


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("CONTRACT_PORT", 8401)))
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--max-time", type=int, default=120, help="secondes par rôle")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--roles", default="counsellor,manager,coordinator")
    parser.add_argument(
        "--server-cmd",
        default=os.environ.get("MAILLAGE_CONTRACT_SERVER", DEFAULT_SERVER),
        help="commande du serveur ({maillage}, {port} et {python} sont remplacés)",
    )
    parser.add_argument("--keep", action="store_true", help="garder le dossier temporaire")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="maillage-contract-"))
    report_dir = workdir / "reports"
    report_dir.mkdir()
    env = {
        **os.environ,
        "MAILLAGE_VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": f"sqlite:///{workdir / 'var' / 'maillage.sqlite3'}",
        "DEBUG": "0",
        "MAILLAGE_RATELIMIT_ENABLE": "0",
    }
    server = None
    try:
        print(f"== Démo dans {workdir}", flush=True)
        subprocess.run(
            [str(BIN / "maillage"), "demo", "--no-serve", "--verbosity", "0"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tokens = {role: _token(env, ROLES[role]) for role in args.roles.split(",")}
        command = args.server_cmd.format(
            maillage=BIN / "maillage", python=sys.executable, port=args.port
        )
        server = subprocess.Popen(
            shlex.split(command),
            env=env,
            cwd=ROOT,
            stdout=(workdir / "server.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        schema_url = f"http://127.0.0.1:{args.port}/api/v1/openapi.json"
        _wait_for(schema_url, 60, server)
        figures = []
        for role, token in tokens.items():
            print(f"== schemathesis, jeton {role} ({ROLES[role]})", flush=True)
            result, report, duration = _run_schemathesis(args, schema_url, token, report_dir, role)
            failures = sum(f["count"] for f in report["failures"])
            errors = len(report["errors"])
            cases = report["test_cases"]["generated"]
            operations = report["operations"]["tested"]
            figures.append((role, operations, cases, failures, errors, duration))
            print(
                f"   {operations} opérations, {cases} cas, {failures} échecs, "
                f"{errors} erreurs, {duration:.0f} s",
                flush=True,
            )
            if failures or errors or result.returncode:
                print(result.stdout[-20000:])
        total_failures = sum(f[3] + f[4] for f in figures)
        print("== Contrat de l'API")
        print("| rôle | opérations | cas | échecs | durée |")
        print("|---|---|---|---|---|")
        for role, operations, cases, failures, errors, duration in figures:
            print(f"| {role} | {operations} | {cases} | {failures + errors} | {duration:.0f} s |")
        print(f"{len(figures)} roles: {total_failures} failures")
        return 1 if total_failures else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"Dossier gardé : {workdir}")


if __name__ == "__main__":
    sys.exit(main())
