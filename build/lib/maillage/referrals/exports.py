"""Operator exports (CSV streamed row by row, XLSX in openpyxl's write-only mode).

Every cell goes through maillage/core/spreadsheets.py: a name typed by another operator never
becomes a formula.
"""

import csv
import tempfile

from django.utils import timezone
from openpyxl import Workbook

from maillage.core.spreadsheets import row_safe, xlsx_row
from maillage.referrals.enums import Outcome, RefusalReason, Status

HEADER = [
    "numero",
    "envoyee_le",
    "etat",
    "orientee_par",
    "orientee_vers",
    "envoyee_par",
    "suivie_par",
    "prenom",
    "nom",
    "date_naissance",
    "email",
    "telephone",
    "departement",
    "tranche_age",
    "regle_aiguillage",
    "choix_libre",
    "recue_le",
    "acceptee_le",
    "premier_rdv",
    "terminee_le",
    "motif_refus",
    "resultat",
]
STATUS = dict(Status.choices)
REASONS = dict(RefusalReason.choices)
OUTCOMES = dict(Outcome.choices)


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def rows(queryset):
    for r in queryset.iterator(chunk_size=2000):
        yield [
            r.pk,
            _date(r.sent_at),
            str(STATUS.get(r.status, r.status)),
            r.sender_organisation.slug,
            r.receiver_organisation.slug,
            str(r.sent_by or ""),
            str(r.assigned_to or ""),
            r.first_name,
            r.last_name,
            _date(r.birth_date),
            r.email,
            r.phone,
            r.department,
            r.age_band,
            (r.decision or {}).get("rule") or "",
            "oui" if r.free_choice else "non",
            _date(r.received_at),
            _date(r.accepted_at),
            _date(r.first_appointment_on),
            _date(r.ended_at),
            str(REASONS.get(r.refusal_reason, r.refusal_reason)),
            str(OUTCOMES.get(r.outcome, r.outcome)),
        ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet software reads the accents right
    yield writer.writerow(HEADER)
    for row in rows(queryset):
        yield writer.writerow(row_safe(row))


def xlsx_file(queryset):
    """A temporary file holding the workbook: write-only keeps memory flat at any volume."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Orientations")
    sheet.append(HEADER)
    for row in rows(queryset):
        sheet.append(xlsx_row(sheet, row))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — closed by the FileResponse
    workbook.save(handle)
    handle.seek(0)
    return handle
