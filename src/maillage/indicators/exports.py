"""CSV and XLSX exports of the indicators, through the one writer `maillage.core.exports`.

Rows are header first (`Col` objects from `Table.export_rows`, or plain labels), then typed
values; a hidden count is a `Secret` (an empty cell, explained in « Secret statistique »).
"""

from maillage.core import exports as writer

CSV_TYPE = writer.CSV_TYPE
XLSX_TYPE = writer.XLSX_TYPE


def csv_response(rows, filename):
    return writer.csv_response(rows, filename)


def write_xlsx(rows, fileobj, *, title="Indicateurs", heading=None):
    return writer.write_xlsx(rows, fileobj, title=title, heading=heading)


def xlsx_response(rows, filename, *, title="Indicateurs", heading=None):
    return writer.xlsx_response(rows, filename, title=title, heading=heading)
