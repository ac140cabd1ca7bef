"""CSV and XLSX exports, streamed: memory stays flat whatever the number of rows.

XLSX uses openpyxl's write-only mode (rows go to temporary XML files as they come), saved
into a temporary file that the response then streams in chunks. Every cell goes through
maillage/core/spreadsheets.py: text is never written as a formula.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from maillage.core.spreadsheets import cell_safe, row_safe, xlsx_row

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, filename):
    """`rows` (header first) as a French CSV (semicolons, BOM so that Excel reads UTF-8)."""
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row_safe(row))

    response = StreamingHttpResponse(stream(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def write_xlsx(rows, fileobj, *, title="Indicateurs", heading=None):
    """Write `rows` (header first) into `fileobj` as one sheet; returns the number of rows."""
    workbook = Workbook(write_only=True)
    # Excel refuses these characters in a sheet name and more than 31 characters.
    safe = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    sheet = workbook.create_sheet(" ".join(safe.split())[:31] or "Indicateurs")
    bold = Font(bold=True)
    count = 0
    if heading:
        cell = WriteOnlyCell(sheet, value=cell_safe(heading))
        cell.font = bold
        sheet.append([cell])
    for index, row in enumerate(rows):
        if index == 0:
            header = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=cell_safe(value))
                cell.font = bold
                header.append(cell)
            sheet.append(header)
        else:
            sheet.append(xlsx_row(sheet, row))
            count += 1
    workbook.save(fileobj)
    return count


def xlsx_response(rows, filename, *, title="Indicateurs", heading=None):
    # Closed by FileResponse once streamed (a context manager would close it too early).
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(rows, spool, title=title, heading=heading)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )
