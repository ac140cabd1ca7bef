"""The full roll-up rebuild and the worker's daily refresh, timed statement by statement.

Run after the referrals are loaded (PostgreSQL; `bench/seed_sql.py` or `bench/indicators.py`):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_speed \\
    .venv/bin/python bench/indicators_rebuild.py [--refresh 3] [--old REVISION]

Prints the slowest statements of the full rebuild (what each one costs alone), its total time,
the median of `--refresh` daily refreshes (yesterday and today, what the worker runs), and the
load average. With `--old`, the same full rebuild by `rollups.py` as it was at REVISION (a git
revision of this repository), in the same run, for a ratio.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from maillage.core.scoping import scopes_disable_here  # noqa: E402

# A bench reads across organisations, as the worker and the commands do.
scopes_disable_here()

from django.db import connection  # noqa: E402

from maillage.indicators.models import ReferralFlowFact  # noqa: E402
from maillage.indicators.services import rollups  # noqa: E402
from maillage.referrals.models import Referral  # noqa: E402

ROLLUPS = "src/maillage/indicators/services/rollups.py"


def out(text):
    print(text, flush=True)


def load_average():
    return Path("/proc/loadavg").read_text().split()[:3]


def backend_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend (a local server): what
    the rebuild costs whatever the other processes of the machine take."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_statements(function):
    """(seconds, result, [(seconds, sql head)]) of `function`, each SQL statement timed."""
    statements = []

    def wrapper(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - began, " ".join(sql.split())[:110]))

    began = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        result = function()
    return time.perf_counter() - began, result, statements


def old_module(revision):
    source = subprocess.run(
        ["git", "show", f"{revision}:{ROLLUPS}"], capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType("maillage.indicators.services._rollups_old")
    module.__file__ = f"{revision}:{ROLLUPS}"
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def full(label, module, top):
    cpu = backend_cpu()
    seconds, rows, statements = timed_statements(module.rollups_rebuild)
    cpu = backend_cpu() - cpu
    out(f"{label} : {rows:,} lignes journalières en {seconds:.1f} s, dont {cpu:.1f} s de "
        f"processeur du serveur PostgreSQL (charge {load_average()})")  # fmt: skip
    for spent, sql in sorted(statements, reverse=True)[:top]:
        out(f"  {spent:7.1f} s  {sql}")
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--refresh", type=int, default=3, help="rafraîchissements mesurés")
    parser.add_argument("--top", type=int, default=12, help="requêtes les plus lentes montrées")
    parser.add_argument("--old", help="révision git de l'ancien rollups.py, mesuré à la suite")
    parser.add_argument("--skip-full", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL seulement (DATABASE_URL=postgres://…).")
    out(f"{Referral.objects.count():,} orientations, charge {load_average()}")
    new = None if args.skip_full else full("reconstruction complète", rollups, args.top)
    times = []
    for _ in range(args.refresh):
        seconds, rows, statements = timed_statements(rollups.rollups_rebuild_recent)
        times.append(seconds)
        slowest = max(statements)
        out(f"rafraîchissement quotidien : {rows:,} lignes en {seconds:.2f} s "
            f"(la plus lente : {slowest[0]:.2f} s {slowest[1][:60]}…)")  # fmt: skip
    refresh = statistics.median(times) if times else 0
    out(f"facts={ReferralFlowFact.objects.count():,} flow rows, charge {load_average()}")
    old = None
    if args.old:
        old = full(f"reconstruction complète, rollups.py de {args.old}", old_module(args.old),
                   args.top)  # fmt: skip
        # Leave the tables as the current code writes them.
        rollups.rollups_rebuild()
    ratio = f" ratio={old / new:.1f}" if old and new else ""
    out(f"full_s={new or 0:.1f} refresh_s={refresh:.2f} old_full_s={old or 0:.1f}{ratio} "
        f"load={','.join(load_average())}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
