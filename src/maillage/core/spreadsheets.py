"""Cells of CSV and XLSX exports that a spreadsheet can never run as a formula.

A name such as `=HYPERLINK("http://…","cliquez")`, typed by another operator, would otherwise
come out as a live formula in the receiving operator's spreadsheet (formula or CSV injection).
Every export of the project goes through the one writer (`maillage.core.exports`), which writes
each text cell through `cell_safe`:

- a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
  (OWASP's advice), which spreadsheet software shows as text (and openpyxl as a string cell);
- numbers stay numbers (a negative number is a number, not text to neutralise), and so does
  text that is only a number ("-3,5", "+33").
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def cell_safe(value):
    """`value`, with a leading `'` when it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if _NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


# `cell_safe` in SQL: text starting with = + - @ tab or CR (by their codes: `ascii()` is the
# cheapest test), unless it is only a number.
FORMULA_CODES = "61, 43, 45, 64, 9, 13"
NUMBER_PATTERN = r"^[+-]?[0-9]+([.,][0-9]+)?$"


def sql_cell_safe(expression, output=None):
    """SQL (PostgreSQL) of `cell_safe(expression)`: a leading `'` on text a spreadsheet would
    run as a formula; a number written as text stays as it is. `output` (default: the
    expression) is what the cell shows, e.g. the text on one line: the test reads the raw
    column and the output is computed once per row."""
    output = output or expression
    return (
        f"CASE WHEN ascii({expression}) IN ({FORMULA_CODES}) AND ({expression}) !~ "
        f"'{NUMBER_PATTERN}' THEN '''' || ({output}) ELSE ({output}) END"
    )
