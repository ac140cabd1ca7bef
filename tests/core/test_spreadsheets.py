"""The one helper every export writes its cells through: no text cell is ever a formula."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from maillage.core.spreadsheets import cell_safe, row_safe, xlsx_row

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


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_cells_are_strings_never_formulas(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Feuille") if write_only else workbook.active
    sheet.append(xlsx_row(sheet, [*HOSTILE, -4, 2.5, "Martin"]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())
    for cell, value in zip(cells, HOSTILE, strict=False):
        assert cell.data_type == "s" and cell.value == "'" + value
    assert [c.value for c in cells[len(HOSTILE) :]] == [-4, 2.5, "Martin"]
    assert cells[len(HOSTILE)].data_type == "n"


def test_csv_cells_start_with_the_quote():
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(row_safe([*HOSTILE, -1]))
    cells = next(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert all(c.startswith("'") for c in cells[:-1]) and cells[-1] == "-1"
