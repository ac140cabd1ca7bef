"""Exports open right in a French spreadsheet: LibreOffice (headless, French locale) reads
their numbers as numbers and their dates as dates; XLSX files have typed cells, a frozen
header, a filter, widths and percentage formats; formulas are neutralised."""

import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from maillage.core import exports
from maillage.core.exports import DATE, DECIMAL, INTEGER, PERCENT, TEXT, Col, Secret

SOFFICE = shutil.which("soffice")
# LibreOffice's CSV import: `;` separator, `"` quotes, UTF-8, from line 1, French (1036).
FRENCH_CSV = "CSV:59,34,76,1,,1036"

ROWS = [
    [
        Col("Opérateur", TEXT),
        Col("Orientations", INTEGER, secret=True),
        Col("Taux d'acceptation", PERCENT),
        Col("Heures", DECIMAL),
        Col("Jour", DATE),
        Col("Envoyée le"),
    ],
    ["Apec", 378000, 15.9, Decimal("3.5"), date(2026, 6, 1), datetime(2026, 6, 1, 14, 30)],
    ['=HYPERLINK("x")', Secret("< 5"), None, 0.25, date(2026, 12, 31), None],
    ["Afdas", 12, 100, 7, date(2026, 1, 1), None],
]


def _csv(rows=ROWS):
    return "".join(exports.csv_lines(rows)).encode("utf-8")


def _xlsx(rows=ROWS, **kwargs):
    buffer = io.BytesIO()
    exports.write_xlsx(rows, buffer, title="Essai", **kwargs)
    return buffer.getvalue()


def _libreoffice(tmp_path, name, content, *, infilter=None):
    """Open `content` in LibreOffice and save it as XLSX; the cells as LibreOffice read them."""
    if SOFFICE is None:
        pytest.fail("LibreOffice manque : apt-get install libreoffice-calc-nogui (.ci/run)")
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "out"
    command = [
        SOFFICE,
        f"-env:UserInstallation=file://{tmp_path / 'profile'}",
        "--headless",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(source),
    ]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    converted = out / (source.stem + ".xlsx")
    assert converted.exists(), "LibreOffice n'a pas converti le fichier"
    return load_workbook(converted).active


def test_the_csv_is_french_semicolons_decimal_comma_and_no_live_formula():
    text = _csv().decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "Opérateur;Orientations;Taux d'acceptation (%);Heures;Jour;Envoyée le;Secret statistique"
    )
    assert lines[1] == "Apec;378000;15,9;3,5;01/06/2026;01/06/2026 14:30;"
    # The hidden count is an empty cell; the last column says what is hidden.
    assert lines[2].startswith('"\'=HYPERLINK(""x"")";;;0,25;31/12/2026;;')
    assert lines[2].endswith("Orientations : < 5")


def test_libreoffice_in_french_reads_the_csv_numbers_as_numbers_and_dates_as_dates(tmp_path):
    sheet = _libreoffice(tmp_path, "export.csv", _csv(), infilter=FRENCH_CSV)
    rows = list(sheet.iter_rows(values_only=True))
    apec = rows[1]
    assert apec[1] == 378000 and isinstance(apec[1], int)
    assert apec[2] == pytest.approx(15.9) and apec[3] == pytest.approx(3.5)
    assert apec[4] == datetime(2026, 6, 1) and apec[5] == datetime(2026, 6, 1, 14, 30)
    # The suppressed cell is empty, so a column sum still works: 378000 + 12.
    assert rows[2][1] is None
    assert sum(r[1] for r in rows[1:] if r[1] is not None) == 378012
    # A formula stays text.
    assert rows[2][0] == '\'=HYPERLINK("x")' or rows[2][0].endswith('HYPERLINK("x")')
    assert not str(rows[2][0]).startswith("=")


def test_the_xlsx_has_typed_cells_percentages_a_frozen_header_a_filter_and_widths(tmp_path):
    content = _xlsx(heading="Essai — effectifs inférieurs à 5 masqués")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:G5"
    assert sheet.column_dimensions["A"].width >= 12
    assert [c.value for c in sheet[2]][:3] == ["Opérateur", "Orientations", "Taux d'acceptation"]
    apec = sheet[3]
    assert apec[1].value == 378000 and apec[1].number_format == "#,##0"
    assert apec[2].value == pytest.approx(0.159) and "%" in apec[2].number_format
    assert apec[4].value == datetime(2026, 6, 1) and apec[4].number_format == "DD/MM/YYYY"
    assert sheet[4][1].value is None and "< 5" in sheet[4][6].value
    assert sheet[4][0].value.startswith("'=")

    # LibreOffice opens it and keeps numbers, percentages and dates typed.
    reread = _libreoffice(tmp_path, "export.xlsx", content)
    row = [c for c in reread[3]]
    assert row[1].value == 378000
    assert row[2].value == pytest.approx(0.159) and "%" in row[2].number_format
    assert isinstance(row[4].value, datetime)


@pytest.mark.django_db
def test_real_exports_open_with_numbers_in_libreoffice(tmp_path, client, settings, run_worker):
    from maillage.referrals.models import ExportJob
    from tests.factories import MembershipFactory
    from tests.referrals import factories

    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
    sender = MembershipFactory()
    receiver = MembershipFactory()
    manager = MembershipFactory(manager=True, organisation=receiver.organisation)
    factories.send(sender, receiver, first_name="Alice", last_name="Martin")
    client.force_login(manager.user)
    client.post("/orientations/export/", {"format": "csv"})
    run_worker()  # the worker builds the file; the person downloads it from « Mes exports »
    job = ExportJob.objects.get()
    response = client.get(f"/orientations/exports/{job.pk}/telecharger/")
    content = b"".join(response.streaming_content)
    sheet = _libreoffice(tmp_path, "orientations.csv", content, infilter=FRENCH_CSV)
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert header[:3] == ("Numéro", "Envoyée le", "État")
    assert isinstance(first[0], int)
    sent = first[header.index("Envoyée le")]
    assert isinstance(sent, datetime) and sent.date() == timezone.localdate()
    assert first[header.index("Orientée vers")] == receiver.organisation.name
