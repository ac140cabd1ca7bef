"""Cells of CSV and XLSX exports that a spreadsheet can never run as a formula.

A name such as `=HYPERLINK("http://…","cliquez")`, typed by another operator, would otherwise
come out as a live formula in the receiving operator's spreadsheet (formula or CSV injection).
Every export of the project writes its cells through `cell_safe` (CSV) or `xlsx_row` (XLSX):

- a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
  (OWASP's advice), which spreadsheet software shows as text;
- in XLSX, such a cell is also written with the string type, so that it is never a formula;
- numbers stay numbers (a negative number is a number, not text to neutralise), and so does
  text that is only a number ("-3,5", "+33").
"""

import re

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def cell_safe(value):
    """`value`, with a leading `'` when it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if _NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def row_safe(row):
    return [cell_safe(value) for value in row]


def xlsx_row(sheet, row):
    """`row` for `sheet.append`: neutralised text written as explicit string cells."""
    cells = []
    for value in row:
        safe = cell_safe(value)
        if isinstance(safe, str) and safe is not value:
            cell = WriteOnlyCell(sheet, value=safe)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells
