"""The one spreadsheet writer of every export (CSV and XLSX), streamed at any volume.

What French Excel and LibreOffice need to read numbers as numbers:

- typed cells: an integer, a decimal, a percentage, a date are written as such, never as text;
- CSV: UTF-8 with a BOM, `;` between fields, a decimal comma (`15,9`), dates `31/12/2026`;
- XLSX: real numbers and dates with a French display format, percentages as percentages
  (`0,0 %`), the header frozen, an autofilter over the table, column widths;
- a count hidden by statistical secrecy (`Secret`) is an empty cell, so a sum still works, and
  the row's « Secret statistique » column says which cells are hidden (« < 5 »);
- French headers (the caller gives them: a `Col` or a plain label);
- a text cell that a spreadsheet would run as a formula is neutralised.

Rows are any iterable: header first, then the rows, consumed once (CSV is streamed as it is
produced; XLSX is written by `maillage.core.xlsx` into a temporary file that is then streamed).
"""

import csv
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from maillage.core import xlsx
from maillage.core.spreadsheets import cell_safe, sql_cell_safe  # noqa: F401 — offered here too

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column kinds. AUTO takes each cell's Python type.
AUTO, TEXT, INTEGER, DECIMAL, PERCENT, DATE, DATETIME = (
    "auto",
    "text",
    "integer",
    "decimal",
    "percent",
    "date",
    "datetime",
)
SECRET_HEADER = "Secret statistique"

# Progress is reported every this many rows (an export built by the worker).
PROGRESS_ROWS = 10_000
WIDTHS = {INTEGER: 12, DECIMAL: 12, PERCENT: 12, DATE: 12, DATETIME: 17}


@dataclass(frozen=True)
class Col:
    """A column: its French header and the kind of its cells."""

    label: str
    kind: str = AUTO
    width: int | None = None
    # May hold counts hidden by statistical secrecy: the export then has the note column.
    secret: bool = False


@dataclass(frozen=True)
class Secret:
    """A count hidden by statistical secrecy: an empty cell, explained in the note column."""

    label: str = "< 5"

    def __str__(self):
        return self.label


def columns_of(header):
    return [h if isinstance(h, Col) else Col(str(h)) for h in header]


def _kind(col, value):
    if col.kind != AUTO:
        return col.kind
    if isinstance(value, bool) or value is None or isinstance(value, str | Secret):
        return TEXT
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float | Decimal):
        return DECIMAL
    if isinstance(value, datetime):
        return DATETIME
    if isinstance(value, date):
        return DATE
    return TEXT


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _secret_notes(columns, row):
    return "; ".join(
        f"{col.label} : {value.label}"
        for col, value in zip(columns, row, strict=False)
        if isinstance(value, Secret)
    )


def _with_secret(columns, secret_column):
    return any(c.secret for c in columns) if secret_column is None else bool(secret_column)


def _split(rows):
    rows = iter(rows)
    header = next(rows, None)
    return columns_of(header or []), rows


# --- CSV ----------------------------------------------------------------------------------


def _csv_text(kind, value):
    value = _local(value)
    if value is None or isinstance(value, Secret):
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if kind == PERCENT and isinstance(value, int | float | Decimal):
        return _decimal_comma(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _decimal_comma(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return cell_safe(str(value))


def _decimal_comma(value):
    text = f"{value:.6f}".rstrip("0").rstrip(".") if not isinstance(value, int) else str(value)
    return text.replace(".", ",")


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows, *, secret_column=None):
    """The CSV text, line by line (BOM first). `secret_column` adds the note column (default:
    when some column may hold hidden counts, i.e. always for indicator tables)."""
    columns, body = _split(rows)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    with_secret = _with_secret(columns, secret_column)
    header = [
        f"{c.label} (%)" if c.kind == PERCENT and "%" not in c.label else c.label for c in columns
    ]
    yield "\ufeff"
    yield writer.writerow([cell_safe(h) for h in header] + ([SECRET_HEADER] * with_secret))
    for row in body:
        row = list(row)
        cells = [_csv_text(_kind(c, v), v) for c, v in zip(columns, row, strict=False)]
        if with_secret:
            cells.append(cell_safe(_secret_notes(columns, row)))
        yield writer.writerow(cells)


# --- CSV written by PostgreSQL itself -------------------------------------------------------


def sql_one_line(expression):
    """The text on one line (CR and LF as spaces): two `replace`, 3x cheaper than `translate`."""
    return f"replace(replace({expression}, E'\\r', ' '), E'\\n', ' ')"


def copy_lines(queryset, *, options="", chunk_size=1 << 16):
    """The rows of `queryset` written by PostgreSQL (`COPY (…) TO STDOUT`), as bytes in chunks
    of about `chunk_size`, one line per row (LF): the rows never become Python objects.

    Without JIT: compiling the export's hundreds of cell expressions (in each parallel worker)
    cost more than it saved — 1,000,000 rows in 24–30 s without, 39–40 s with (BENCHMARKS.md)."""
    from django.db import connections, transaction

    connection = connections[queryset.db]
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SET LOCAL jit = off")
        select = raw.mogrify(sql, params) if params else sql
        with raw.copy(f"COPY ({select}) TO STDOUT {options}") as copy:
            pending, size = [], 0
            for data in copy:
                pending.append(bytes(data))
                size += len(data)
                if size >= chunk_size:
                    yield b"".join(pending)
                    pending, size = [], 0
            if pending:
                yield b"".join(pending)


def copy_csv_bytes(queryset, header, *, chunk_size=1 << 16):
    """The CSV of `queryset` written by PostgreSQL, as UTF-8 bytes in chunks (never decoded).
    The queryset is a `values_list` whose SQL already gives each cell as French text (dates,
    labels, `sql_cell_safe`). Same dialect as `csv_lines`: BOM, `;`, quotes only where needed,
    CRLF line ends."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff".encode()
    yield writer.writerow([cell_safe(c.label) for c in columns_of(header)]).encode()
    # PostgreSQL ends CSV lines with LF; spreadsheets (and `csv_lines`) use CRLF. The SQL
    # flattens line breaks inside cells, so every LF is a line end.
    for data in copy_lines(
        queryset, options="WITH (FORMAT csv, DELIMITER ';')", chunk_size=chunk_size
    ):
        yield data.replace(b"\n", b"\r\n")


def copy_csv_lines(queryset, header, *, chunk_size=1 << 16):
    """`copy_csv_bytes` as text (each chunk ends at a line end: no character is cut)."""
    for data in copy_csv_bytes(queryset, header, chunk_size=chunk_size):
        yield data.decode()


def csv_response(rows, filename, *, secret_column=None):
    response = StreamingHttpResponse(
        csv_lines(rows, secret_column=secret_column), content_type=CSV_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# --- XLSX ---------------------------------------------------------------------------------


def _sheet_name(title):
    # Excel refuses these characters in a sheet name and more than 31 characters.
    safe = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return " ".join(safe.split())[:31] or "Export"


_STYLES = {
    INTEGER: xlsx.STYLE_INTEGER,
    DECIMAL: xlsx.STYLE_DECIMAL,
    PERCENT: xlsx.STYLE_PERCENT,
    DATE: xlsx.STYLE_DATE,
    DATETIME: xlsx.STYLE_DATETIME,
}


def _xlsx_cell(kind, value):
    value = _local(value)
    if isinstance(value, Secret) or value is None:
        return "<c/>"
    if isinstance(value, bool):
        return xlsx.text_cell("oui" if value else "non")
    if kind == PERCENT and isinstance(value, int | float | Decimal):
        # Stored as a ratio, shown "15,9 %" in a French spreadsheet.
        return xlsx.number_cell(float(value) / 100, xlsx.STYLE_PERCENT)
    if isinstance(value, int | float | Decimal):
        if kind == INTEGER and value != int(value):
            kind = DECIMAL
        return xlsx.number_cell(value, _STYLES.get(kind, xlsx.STYLE_TEXT))
    if isinstance(value, date):
        if kind in (DATE, DATETIME):
            style = _STYLES[kind]
        else:
            style = xlsx.STYLE_DATETIME if isinstance(value, datetime) else xlsx.STYLE_DATE
        return f'<c s="{style}"><v>{xlsx.serial(value)!r}</v></c>'
    return xlsx.text_cell(value)


def _widths(columns):
    return [
        max(
            col.width or WIDTHS.get(col.kind) or min(max(len(col.label) + 4, 14), 50),
            len(col.label) + 2,
        )
        for col in columns
    ]


def xlsx_stream(fileobj, header, *, title="Export", heading=None, secret_column=None):
    """An `XlsxStream` for `header` (its `Col`s): the caller writes the rows, then closes."""
    columns = columns_of(header)
    if _with_secret(columns, secret_column):
        columns = [*columns, Col(SECRET_HEADER, TEXT)]
    return xlsx.XlsxStream(
        fileobj,
        title=_sheet_name(title),
        labels=[c.label for c in columns],
        widths=_widths(columns),
        heading=heading,
    )


def write_xlsx(rows, fileobj, *, title="Export", heading=None, secret_column=None, progress=None):
    """Write `rows` (header first) into `fileobj` as one sheet; returns the number of rows.
    `progress(rows_written)` is called every few thousand rows."""
    columns, body = _split(rows)
    with_secret = _with_secret(columns, secret_column)
    stream = xlsx_stream(fileobj, columns, title=title, heading=heading, secret_column=with_secret)
    for row in body:
        row = list(row)
        cells = [_xlsx_cell(_kind(c, v), v) for c, v in zip(columns, row, strict=False)]
        if with_secret:
            cells.append(xlsx.text_cell(_secret_notes(columns, row)))
        stream.write_row(cells)
        if progress is not None and stream.rows % PROGRESS_ROWS == 0:
            progress(stream.rows)
    return stream.close()


def xlsx_response(rows, filename, *, title="Export", heading=None, secret_column=None):
    # Closed by FileResponse once streamed (a context manager would close it too early).
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(rows, spool, title=title, heading=heading, secret_column=secret_column)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )


def export_response(rows, filename, *, fmt, title="Export", heading=None, secret_column=None):
    if fmt == "xlsx":
        return xlsx_response(
            rows, filename, title=title, heading=heading, secret_column=secret_column
        )
    return csv_response(rows, filename, secret_column=secret_column)
