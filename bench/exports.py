"""The referral exports at 1,000,000 rows, as the worker writes them (issue 19, must-show 3).

Run after bench/seed_sql.py (or bench/indicators.py) has filled the database:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_speed \\
    .venv/bin/python bench/exports.py [--rows 1000000] [--baseline-rows 20000]

Same run, same queryset (every referral in the export's order, `sent_at, id`, the first N):

- CSV: `referrals.exports.csv_write` (what the worker's task `referrals_export_build` calls:
  written by PostgreSQL's `COPY … TO STDOUT`) into a file, against the row-by-row writer
  (`csv_lines`, the SQLite path) on `--baseline-rows`;
- XLSX: `referrals.exports.xlsx_write` (the sheet's rows written as XML by PostgreSQL, zipped
  by `maillage.core.xlsx`) into a temporary file, in a child process of its own so that its
  peak RSS is the XLSX build's alone; against the row-by-row XLSX writer on `--baseline-rows`.

The task's own bookkeeping (the `ExportJob` row, the storage, the email) is not run: the bench
database is read-only for this bench. The progress callback is, as in the task. The COPY side is
checked to give the row-by-row writer's CSV cells on the first 2,000 rows first.
"""

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from maillage.core.exports import csv_lines, write_xlsx  # noqa: E402
from maillage.core.scoping import scopes_disabled  # noqa: E402
from maillage.referrals import exports  # noqa: E402
from maillage.referrals.models import Referral  # noqa: E402


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parse(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def _load():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _queryset(rows):
    return Referral.objects.order_by("sent_at", "id")[:rows]


def xlsx_child(rows):
    """The XLSX build alone (a process of its own): time, size, peak RSS, as JSON."""
    progress = []
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        began = time.perf_counter()
        written = exports.xlsx_write(_queryset(rows), handle, progress=progress.append)
        handle.flush()
        seconds = time.perf_counter() - began
        size = handle.tell()
        peak = _peak_mb()
        with zipfile.ZipFile(handle.name) as archive:
            broken = archive.testzip()
    print(
        json.dumps(
            {
                "rows": written,
                "seconds": seconds,
                "mb": size / 1e6,
                "peak_mb": peak,
                "progress_calls": len(progress),
                "zip_ok": broken is None,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--xlsx-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-csv", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL seulement (DATABASE_URL=postgres://…).")
    if args.xlsx_child:
        return xlsx_child(args.rows)
    print(f"{Referral.objects.count():,} orientations dans la base ; charge {_load()}", flush=True)
    sample = _queryset(2000)
    assert _parse("".join(exports.csv_stream(sample))) == _parse(
        "".join(csv_lines(exports._table(sample)))
    ), "COPY et l'écriture ligne à ligne diffèrent"
    results = {}
    if not args.skip_csv:
        with tempfile.TemporaryFile() as handle:
            began = time.perf_counter()
            rows = exports.csv_write(_queryset(args.rows), handle, progress=lambda n: None)
            copy_s = time.perf_counter() - began
            size = handle.tell()
        results["copy_rows_per_s"] = rows / copy_s
        print(
            f"CSV COPY : {rows:,} lignes, {size / 1e6:.0f} Mo en {copy_s:.1f} s "
            f"({rows / copy_s:,.0f} lignes/s) ; charge {_load()}",
            flush=True,
        )
        began = time.perf_counter()
        lines = sum(1 for _ in csv_lines(exports._table(_queryset(args.baseline_rows))))
        base_s = time.perf_counter() - began
        results["row_by_row_per_s"] = (lines - 2) / base_s
        print(
            f"CSV ligne à ligne : {lines - 2:,} lignes en {base_s:.1f} s "
            f"({(lines - 2) / base_s:,.0f} lignes/s) ; ratio "
            f"{results['copy_rows_per_s'] / results['row_by_row_per_s']:.1f}x",
            flush=True,
        )
        results["csv_peak_mb"] = _peak_mb()
    child = subprocess.run(
        [sys.executable, __file__, "--xlsx-child", "--rows", str(args.rows)],
        check=True,
        capture_output=True,
        text=True,
    )
    xlsx = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"XLSX COPY : {xlsx['rows']:,} lignes, {xlsx['mb']:.0f} Mo en {xlsx['seconds']:.1f} s, "
        f"pic RSS {xlsx['peak_mb']:.0f} Mo (processus à part), zip intègre : {xlsx['zip_ok']} ; "
        f"charge {_load()}",
        flush=True,
    )
    with tempfile.TemporaryFile() as handle:
        began = time.perf_counter()
        base_rows = write_xlsx(exports._table(_queryset(args.baseline_rows)), handle)
        xbase_s = time.perf_counter() - began
    x_rate = xlsx["rows"] / xlsx["seconds"]
    print(
        f"XLSX ligne à ligne : {base_rows:,} lignes en {xbase_s:.1f} s "
        f"({base_rows / xbase_s:,.0f} lignes/s) ; ratio {x_rate / (base_rows / xbase_s):.1f}x"
    )
    print(
        " ".join(
            [f"{k}={v:.0f}" for k, v in results.items()]
            + [
                f"xlsx_rows={xlsx['rows']}",
                f"xlsx_s={xlsx['seconds']:.1f}",
                f"xlsx_peak_mb={xlsx['peak_mb']:.0f}",
                f"xlsx_row_by_row_per_s={base_rows / xbase_s:.0f}",
                f"load={_load()}",
            ]
        )
    )


if __name__ == "__main__":
    with scopes_disabled():
        main()
