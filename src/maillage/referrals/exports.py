"""Operator exports through the one writer (`maillage.core.exports`): CSV and XLSX written by
PostgreSQL's `COPY` there (the cells as text, the sheet's rows as XML), row by row from plain
values elsewhere; French headers, typed dates, operators' names, formulas neutralised. The
worker writes them into a file (`csv_write`, `xlsx_write`), reporting progress."""

from django.conf import settings
from django.db import connections
from django.db.models import Case, F, Func, TextField, Value, When

from maillage.core import xlsx
from maillage.core.exports import (
    DATE,
    DATETIME,
    INTEGER,
    PROGRESS_ROWS,
    TEXT,
    Col,
    copy_csv_bytes,
    copy_csv_lines,
    copy_lines,
    csv_lines,
    sql_cell_safe,
    sql_one_line,
    write_xlsx,
    xlsx_stream,
)
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
# What each row reads: plain values, no model instances and no related objects.
FIELDS = (
    "pk", "sent_at", "status", "sender_organisation__name", "receiver_organisation__name",
    "sent_by__first_name", "sent_by__last_name", "sent_by__email", "assigned_to__first_name",
    "assigned_to__last_name", "assigned_to__email", "first_name", "last_name", "birth_date",
    "email", "phone", "department", "age_band", "decision", "free_choice", "received_at",
    "accepted_at", "first_appointment_on", "ended_at", "refusal_reason", "outcome",
)  # fmt: skip


def _person(first, last, email):
    # As `User.__str__`: the full name, else the address; nobody: empty.
    return f"{first or ''} {last or ''}".strip() or (email or "")


def rows(queryset):
    for (
        pk, sent_at, status, sender, receiver, sb_first, sb_last, sb_email, at_first, at_last,
        at_email, first_name, last_name, birth_date, email, phone, department, age_band,
        decision, free_choice, received_at, accepted_at, appointment, ended_at, reason, outcome,
    ) in queryset.values_list(*FIELDS).iterator(chunk_size=5000):  # fmt: skip
        yield [
            pk,
            sent_at,
            str(STATUS.get(status, status)),
            sender,
            receiver,
            _person(sb_first, sb_last, sb_email),
            _person(at_first, at_last, at_email),
            first_name,
            last_name,
            birth_date,
            email,
            phone,
            department,
            age_band,
            (decision or {}).get("rule") or "",
            "oui" if free_choice else "non",
            received_at,
            accepted_at,
            appointment,
            ended_at,
            str(REASONS.get(reason, reason) or ""),
            str(OUTCOMES.get(outcome, outcome) or ""),
        ]


def _table(queryset):
    yield HEADER
    yield from rows(queryset)


# --- PostgreSQL: the CSV written by the database (COPY), the same cells as `rows` -----------


class _Sql(Func):
    """Text SQL over columns: `template` names them {0}, {1}… (no parameters, so a column
    may appear several times, as `sql_cell_safe` needs)."""

    output_field = TextField()

    def __init__(self, template, *fields):
        super().__init__(*(F(f) for f in fields), output_field=TextField())
        self.sql_template = template

    def as_sql(self, compiler, connection, **extra):
        columns = []
        for expression in self.source_expressions:
            sql, params = compiler.compile(expression)
            if params:
                raise ValueError("Une colonne sans paramètre est attendue.")
            columns.append(sql)
        return self.sql_template.format(*columns), []


def _local(field, fmt):
    zone = settings.TIME_ZONE.replace("'", "")
    return _Sql(f"to_char(({{0}}) AT TIME ZONE '{zone}', '{fmt}')", field)


def _day(field):
    return _Sql("to_char({0}, 'DD/MM/YYYY')", field)


def _text(field):
    # Line breaks flattened (one CSV line per row), formulas neutralised.
    return _Sql(sql_cell_safe("{0}", sql_one_line("{0}")), field)


def _label(field, labels):
    return Case(
        *(When(**{field: code}, then=Value(str(label))) for code, label in labels.items()),
        default=F(field),
        output_field=TextField(),
    )


def _user(prefix):
    # As `User.__str__`: the full name, else the address; nobody: empty.
    name = "COALESCE(NULLIF(TRIM(COALESCE({0}, '') || ' ' || COALESCE({1}, '')), ''), {2}, '')"
    return _Sql(
        sql_cell_safe(name), f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__email"
    )


def _copy_queryset(queryset):
    cells = {
        "c01": _Sql("({0})::text", "pk"),
        "c02": _local("sent_at", "DD/MM/YYYY HH24:MI"),
        "c03": _label("status", STATUS),
        "c04": _text("sender_organisation__name"),
        "c05": _text("receiver_organisation__name"),
        "c06": _user("sent_by"),
        "c07": _user("assigned_to"),
        "c08": _text("first_name"),
        "c09": _text("last_name"),
        "c10": _day("birth_date"),
        "c11": _text("email"),
        "c12": _text("phone"),
        "c13": _text("department"),
        "c14": _text("age_band"),
        "c15": _Sql(sql_cell_safe("COALESCE({0} ->> 'rule', '')"), "decision"),
        "c16": _Sql("CASE WHEN {0} THEN 'oui' ELSE 'non' END", "free_choice"),
        "c17": _local("received_at", "DD/MM/YYYY HH24:MI"),
        "c18": _local("accepted_at", "DD/MM/YYYY HH24:MI"),
        "c19": _day("first_appointment_on"),
        "c20": _local("ended_at", "DD/MM/YYYY HH24:MI"),
        "c21": _label("refusal_reason", REASONS),
        "c22": _label("outcome", OUTCOMES),
    }
    return queryset.annotate(**cells).values_list(*cells)


def csv_stream(queryset):
    """The CSV text, streamed: written by PostgreSQL itself (`COPY`), else row by row."""
    if connections[queryset.db].vendor == "postgresql":
        return copy_csv_lines(_copy_queryset(queryset), HEADER)
    return csv_lines(_table(queryset))


def _copy_xlsx_queryset(queryset):
    """One text column per referral: its `<row>` of typed cells, written by PostgreSQL."""
    zone = settings.TIME_ZONE.replace("'", "")

    text = xlsx.sql_xlsx_text

    def label(field, labels):
        cases = " ".join(
            f"WHEN '{code}' THEN '{xlsx_text_literal(value)}'" for code, value in labels.items()
        )
        return f"COALESCE(CASE {{{field}}} {cases} ELSE NULL END, " + text(f"{{{field}}}") + ")"

    name = "COALESCE(NULLIF(TRIM(COALESCE({0}, '') || ' ' || COALESCE({1}, '')), ''), {2}, '')"
    cells = [
        xlsx.sql_xlsx_number("{pk}"),
        xlsx.sql_xlsx_datetime("{sent_at}", zone),
        label("status", STATUS),
        text("{sender}"),
        text("{receiver}"),
        text(name.format("{sb_first}", "{sb_last}", "{sb_email}")),
        text(name.format("{at_first}", "{at_last}", "{at_email}")),
        text("{first_name}"),
        text("{last_name}"),
        xlsx.sql_xlsx_date("{birth_date}"),
        text("{email}"),
        text("{phone}"),
        text("{department}"),
        text("{age_band}"),
        text("({decision} ->> 'rule')"),
        "CASE WHEN {free_choice} THEN '<c t=\"inlineStr\"><is><t>oui</t></is></c>' "
        "ELSE '<c t=\"inlineStr\"><is><t>non</t></is></c>' END",
        xlsx.sql_xlsx_datetime("{received_at}", zone),
        xlsx.sql_xlsx_datetime("{accepted_at}", zone),
        xlsx.sql_xlsx_date("{first_appointment_on}"),
        xlsx.sql_xlsx_datetime("{ended_at}", zone),
        label("refusal_reason", REASONS),
        label("outcome", OUTCOMES),
    ]
    fields = {
        "pk": "pk", "sent_at": "sent_at", "status": "status",
        "sender": "sender_organisation__name", "receiver": "receiver_organisation__name",
        "sb_first": "sent_by__first_name", "sb_last": "sent_by__last_name",
        "sb_email": "sent_by__email", "at_first": "assigned_to__first_name",
        "at_last": "assigned_to__last_name", "at_email": "assigned_to__email",
        "first_name": "first_name", "last_name": "last_name", "birth_date": "birth_date",
        "email": "email", "phone": "phone", "department": "department", "age_band": "age_band",
        "decision": "decision", "free_choice": "free_choice", "received_at": "received_at",
        "accepted_at": "accepted_at", "first_appointment_on": "first_appointment_on",
        "ended_at": "ended_at", "refusal_reason": "refusal_reason", "outcome": "outcome",
    }  # fmt: skip
    names = list(fields)
    template = xlsx.sql_xlsx_row(cells)
    for index, key in enumerate(names):
        template = template.replace("{" + key + "}", "{" + str(index) + "}")
    return queryset.annotate(row_xml=_Sql(template, *fields.values())).values_list("row_xml")


def xlsx_text_literal(value):
    """A label as the XML of an inline string, quoted for SQL."""
    return xlsx.text_cell(value).replace("'", "''")


def _on_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def csv_write(queryset, fileobj, *, progress=None):
    """The CSV into `fileobj` (binary); returns the number of rows."""
    if _on_postgresql(queryset):
        # One line per row (the SQL flattens line breaks): rows are counted by their ends.
        chunks = copy_csv_bytes(_copy_queryset(queryset), HEADER)
        lines_in = bytes.count
    else:
        # One chunk per row (a cell may hold a line break, quoted).
        chunks = (line.encode() for line in csv_lines(_table(queryset)))

        def lines_in(data, _end):
            return 1 if data.endswith(b"\r\n") else 0

    rows = -1  # the header line
    reported = 0
    for data in chunks:
        fileobj.write(data)
        rows += lines_in(data, b"\n")
        if progress is not None and rows - reported >= PROGRESS_ROWS:
            progress(rows)
            reported = rows
    return rows


def xlsx_write(queryset, fileobj, *, progress=None):
    """The workbook into `fileobj` (binary, seekable); returns the number of rows."""
    if not _on_postgresql(queryset):
        return write_xlsx(_table(queryset), fileobj, title="Orientations", progress=progress)
    stream = xlsx_stream(fileobj, HEADER, title="Orientations", secret_column=False)
    writer = stream.in_background(transform=xlsx.from_copy_text)
    rows = reported = 0
    try:
        for data in copy_lines(_copy_xlsx_queryset(queryset)):
            count = data.count(b"\n")
            writer.put(data, count)
            rows += count
            if progress is not None and rows - reported >= PROGRESS_ROWS:
                progress(rows)
                reported = rows
    finally:
        writer.close()
    return stream.close()
