"""The referral CSV export at 1,000,000 rows: written by PostgreSQL (`COPY … TO STDOUT`)
against the row-by-row writer, in the same run (issue 19).

Run after bench/seed_sql.py (or bench/indicators.py) has filled the database:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_speed \\
    .venv/bin/python bench/exports.py [--rows 1000000] [--baseline-rows 50000]

Both sides stream `maillage.referrals.exports.csv_stream` / `csv_lines` over the same queryset
(every referral in the export's order, `sent_at, id`, the first N) to a null sink, counting
lines and bytes; the COPY side is checked to give the same cells as the row-by-row writer on
the first 2,000 rows. Peak RSS of the process is printed (the rows never accumulate).
"""

import argparse
import csv
import io
import os
import resource
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from maillage.core.exports import csv_lines  # noqa: E402
from maillage.referrals import exports  # noqa: E402
from maillage.referrals.models import Referral  # noqa: E402


def _consume(chunks):
    lines = size = 0
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count("\r\n")
    return lines, size


def _parse(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=50_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL seulement (DATABASE_URL=postgres://…).")
    everything = Referral.objects.order_by("sent_at", "id")
    print(f"{Referral.objects.count():,} orientations dans la base", flush=True)
    sample = everything[:2000]
    assert _parse("".join(exports.csv_stream(sample))) == _parse(
        "".join(csv_lines(exports._table(sample)))
    ), "COPY et l'écriture ligne à ligne diffèrent"
    began = time.perf_counter()
    lines, size = _consume(exports.csv_stream(everything[: args.rows]))
    copy_s = time.perf_counter() - began
    copy_rate = (lines - 1) / copy_s
    print(f"COPY : {lines - 1:,} lignes, {size / 1e6:.0f} Mo en {copy_s:.1f} s", flush=True)
    began = time.perf_counter()
    base_lines, _ = _consume(csv_lines(exports._table(everything[: args.baseline_rows])))
    base_s = time.perf_counter() - began
    base_rate = (base_lines - 1) / base_s
    print(f"ligne à ligne : {base_lines - 1:,} lignes en {base_s:.1f} s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"copy_rows={lines - 1} copy_rows_per_s={copy_rate:.0f} "
        f"row_by_row_per_s={base_rate:.0f} ratio={copy_rate / base_rate:.1f} peak_mb={peak:.0f}"
    )


if __name__ == "__main__":
    main()
