"""On PostgreSQL the referral CSV is written by the database (`COPY … TO STDOUT`): the same
cells as the row-by-row writer, formulas neutralised in SQL."""

import csv
import io

import pytest
from django.db import connection

from maillage.core.exports import csv_lines
from maillage.referrals import exports
from maillage.referrals.models import Referral
from tests.referrals import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY: PostgreSQL only"),
]

NAMES = [
    ('=HYPERLINK("http://x","y")', "+SUM(1+1)"),
    ("-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)"),
    ("Anne; Marie", 'Du "Pont"'),
    ("-3,5", "+33"),
    ("Zoé", "Lefèvre"),
]


def _parse(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_copy_gives_the_cells_of_the_row_by_row_writer(sender, receiver):
    for first_name, last_name in NAMES:
        factories.send(sender, receiver, first_name=first_name, last_name=last_name)
    queryset = Referral.objects.order_by("sent_at", "id")
    copied = "".join(exports.csv_stream(queryset))
    by_rows = "".join(csv_lines(exports._table(queryset)))
    assert copied.startswith("\ufeff") and "\r\n" in copied
    rows = _parse(copied)
    assert len(rows) == len(NAMES) + 1
    assert rows == _parse(by_rows)
    names = {(row[7], row[8]) for row in rows[1:]}
    assert ("'" + NAMES[0][0], "'" + NAMES[0][1]) in names
    assert ("-3,5", "+33") in names  # numbers written as text stay as they are
    assert ("Anne; Marie", 'Du "Pont"') in names
