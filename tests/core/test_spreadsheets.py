"""The one export writer (core.exports) and its cell helper: no text cell is ever a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from maillage.core.exports import csv_lines, write_xlsx
from maillage.core.spreadsheets import cell_safe

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_read_as_a_formula_gets_a_leading_quote(value):
    assert cell_safe(value) == "'" + value


@pytest.mark.parametrize("value", [-3, -2.5, 0, 12, None, "", "Martin", "Jean-Paul", "-5", "+33"])
def test_numbers_and_plain_text_are_kept(value):
    assert cell_safe(value) == value


HEADER = [f"Colonne {n}" for n in range(len(HOSTILE) + 3)]


def test_xlsx_cells_are_strings_never_formulas():
    buffer = io.BytesIO()
    write_xlsx([HEADER, [*HOSTILE, -4, 2.5, "Martin"]], buffer, secret_column=False)
    rows = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows(min_row=2)
    cells = next(rows)
    for cell, value in zip(cells, HOSTILE, strict=False):
        assert cell.data_type == "s" and cell.value == "'" + value
    assert [c.value for c in cells[len(HOSTILE) :]] == [-4, 2.5, "Martin"]
    assert cells[len(HOSTILE)].data_type == "n"


def test_csv_cells_start_with_the_quote():
    text = "".join(csv_lines([HEADER[: len(HOSTILE) + 1], [*HOSTILE, -1]], secret_column=False))
    cells = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))[1]
    assert all(c.startswith("'") for c in cells[:-1]) and cells[-1] == "-1"
