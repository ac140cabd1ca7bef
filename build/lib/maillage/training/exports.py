"""Exports of the training matrix and of training histories, as CSV or XLSX.

Every cell goes through maillage/core/spreadsheets.py (no formula from a typed name).
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from maillage.core.spreadsheets import cell_safe, row_safe, xlsx_row

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def matrix_table(matrix):
    """The matrix as rows of a flat table: one line per (host, participants' operator)."""
    header = [
        "Opérateur hôte",
        "Opérateur des participants",
        "Sessions",
        "Personnes",
        "Présences",
        "Heures",
    ]
    rows = []
    for host, cells, host_total in matrix.rows():
        for participant, cell in zip(matrix.participants, cells, strict=True):
            if cell["attendances"]:
                rows.append(
                    [
                        host.name,
                        participant.name,
                        cell["sessions"],
                        cell["people"],
                        cell["attendances"],
                        float(cell["hours"]),
                    ]
                )
        rows.append(
            [
                host.name,
                "Total de l'hôte",
                host_total["sessions"],
                host_total["people"],
                host_total["attendances"],
                float(host_total["hours"]),
            ]
        )
    total = matrix.total.as_dict()
    rows.append(
        [
            "Total (chaque présence une fois)",
            "",
            total["sessions"],
            total["people"],
            total["attendances"],
            float(total["hours"]),
        ]
    )
    return header, rows


def history_table(registrations):
    header = ["Personne", "Opérateur", "Session", "Thème", "Date", "Heures", "Présence"]
    rows = []
    for r in registrations:
        session = r.event.training_session
        rows.append(
            [
                f"{r.first_name} {r.last_name}".strip(),
                r.sent_by_organisation.name if r.sent_by_organisation else "",
                r.event.title,
                session.get_theme_display(),
                timezone.localtime(r.event.starts_at).strftime("%d/%m/%Y"),
                float(session.hours),
                r.get_status_display(),
            ]
        )
    return header, rows


def table_response(header, rows, *, filename, fmt):
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = filename[:31]
        sheet.append(row_safe(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        extension = "xlsx"
    else:
        buffer = io.StringIO()
        # A BOM and semicolons: what French spreadsheet software opens without a wizard.
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(row_safe(header))
        for row in rows:
            writer.writerow(
                [str(v).replace(".", ",") if isinstance(v, float) else cell_safe(v) for v in row]
            )
        response = HttpResponse(buffer.getvalue(), content_type=CSV_TYPE)
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
