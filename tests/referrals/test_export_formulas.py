"""A name sent by another operator never becomes a live formula in the referrals exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import MembershipFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db

NAMES = [
    ('=HYPERLINK("http://x","y")', "+SUM(1+1)"),
    ("-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)"),
]


@pytest.fixture
def exported(client, sender, receiver, export_built):
    manager = MembershipFactory(organisation=receiver.organisation, manager=True)
    client.force_login(manager.user)
    for first_name, last_name in NAMES:
        factories.send(sender, receiver, first_name=first_name, last_name=last_name)
    return export_built


def test_the_csv_export_neutralises_formulas(exported):
    rows = list(csv.reader(io.StringIO(exported("csv").decode("utf-8-sig")), delimiter=";"))
    names = {(row[7], row[8]) for row in rows[1:]}
    assert names == {("'" + first, "'" + last) for first, last in NAMES}
    assert rows[1][0].isdigit()  # the referral number stays a plain number


def test_the_xlsx_export_writes_formulas_as_inert_text(exported):
    sheet = load_workbook(io.BytesIO(exported("xlsx")))["Orientations"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(NAMES)
    written = set()
    for row in rows:
        first, last = row[7], row[8]
        for cell in (first, last):
            assert cell.data_type == "s" and cell.value.startswith("'")
        written.add((first.value, last.value))
        assert row[0].data_type == "n"  # numbers stay numbers
    assert written == {("'" + first, "'" + last) for first, last in NAMES}
