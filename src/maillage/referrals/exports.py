"""Operator exports through the one writer (`maillage.core.exports`): CSV streamed row by
row, XLSX in openpyxl's write-only mode; French headers, typed dates, operators' names."""

import tempfile

from maillage.core.exports import DATE, DATETIME, INTEGER, TEXT, Col, csv_lines, write_xlsx
from maillage.referrals.enums import Outcome, RefusalReason, Status

HEADER = [
    Col("Numéro", INTEGER, width=10),
    Col("Envoyée le", DATETIME),
    Col("État", TEXT),
    Col("Orientée par", TEXT, width=30),
    Col("Orientée vers", TEXT, width=30),
    Col("Envoyée par", TEXT, width=24),
    Col("Suivie par", TEXT, width=24),
    Col("Prénom", TEXT),
    Col("Nom", TEXT),
    Col("Date de naissance", DATE),
    Col("E-mail", TEXT, width=28),
    Col("Téléphone", TEXT),
    Col("Département", TEXT),
    Col("Tranche d'âge", TEXT),
    Col("Règle d'aiguillage", TEXT, width=28),
    Col("Choix libre", TEXT),
    Col("Reçue le", DATETIME),
    Col("Acceptée le", DATETIME),
    Col("Premier rendez-vous", DATE),
    Col("Terminée le", DATETIME),
    Col("Motif de refus", TEXT, width=28),
    Col("Résultat", TEXT, width=28),
]
STATUS = dict(Status.choices)
REASONS = dict(RefusalReason.choices)
OUTCOMES = dict(Outcome.choices)


def rows(queryset):
    for r in queryset.iterator(chunk_size=2000):
        yield [
            r.pk,
            r.sent_at,
            str(STATUS.get(r.status, r.status)),
            r.sender_organisation.name,
            r.receiver_organisation.name,
            str(r.sent_by or ""),
            str(r.assigned_to or ""),
            r.first_name,
            r.last_name,
            r.birth_date,
            r.email,
            r.phone,
            r.department,
            r.age_band,
            (r.decision or {}).get("rule") or "",
            "oui" if r.free_choice else "non",
            r.received_at,
            r.accepted_at,
            r.first_appointment_on,
            r.ended_at,
            str(REASONS.get(r.refusal_reason, r.refusal_reason) or ""),
            str(OUTCOMES.get(r.outcome, r.outcome) or ""),
        ]


def _table(queryset):
    yield HEADER
    yield from rows(queryset)


def csv_stream(queryset):
    return csv_lines(_table(queryset))


def xlsx_file(queryset):
    """A temporary file holding the workbook: write-only keeps memory flat at any volume."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — closed by the FileResponse
    write_xlsx(_table(queryset), handle, title="Orientations")
    handle.seek(0)
    return handle
