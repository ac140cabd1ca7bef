"""Exports of the training matrix and of training histories, as CSV or XLSX.

Every cell goes through maillage/core/spreadsheets.py (no formula from a typed name).
"""

from django.utils import timezone

from maillage.core.exports import DATE, DECIMAL, INTEGER, TEXT, Col, export_response


def matrix_table(matrix):
    """The matrix as rows of a flat table: one line per (host, participants' operator)."""
    header = [
        Col("Opérateur hôte", TEXT, width=30),
        Col("Opérateur des participants", TEXT, width=30),
        Col("Sessions", INTEGER),
        Col("Personnes", INTEGER),
        Col("Présences", INTEGER),
        Col("Heures", DECIMAL),
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
    header = [
        Col("Personne", TEXT, width=24),
        Col("Opérateur", TEXT, width=30),
        Col("Session", TEXT, width=40),
        Col("Thème", TEXT, width=24),
        Col("Date", DATE),
        Col("Heures", DECIMAL),
        Col("Présence", TEXT),
    ]
    rows = []
    for r in registrations:
        session = r.event.training_session
        rows.append(
            [
                f"{r.first_name} {r.last_name}".strip(),
                r.sent_by_organisation.name if r.sent_by_organisation else "",
                r.event.title,
                session.get_theme_display(),
                timezone.localtime(r.event.starts_at).date(),
                float(session.hours),
                r.get_status_display(),
            ]
        )
    return header, rows


def table_response(header, rows, *, filename, fmt):
    """The table as CSV or XLSX through the one export writer (typed cells, French format)."""
    return export_response(
        [header, *rows], filename, fmt="xlsx" if fmt == "xlsx" else "csv", title=filename
    )
