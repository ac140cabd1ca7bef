"""A streaming XLSX writer: the sheet's XML written row by row into a deflated zip, flat memory.

openpyxl's write-only mode (~2,100 rows/s: 308,248 rows in 147 s) and XlsxWriter's
`constant_memory` mode (~4,100 rows/s of 22 cells, BENCHMARKS.md) build a Python object or make
a call per cell: a 1,000,000-row export would take minutes. An XLSX file is a zip of a few
XML parts, and a sheet is one `<row>` after another, so this module writes the parts itself:

- typed cells: numbers as numbers, dates as date serials with a French display format
  (`DD/MM/YYYY`, `DD/MM/YYYY HH:MM`), text as inline strings neutralised by `cell_safe`, empty
  cells as `<c/>` (no cell references: readers count the cells, as the format allows);
- the header in bold on a fill, frozen; an autofilter over the table; column widths;
- rows come from Python (`XlsxStream.write_row`, typed by their `Col`) or, on PostgreSQL, as
  ready-made `<row>` XML written by the database (`XlsxStream.write_xml`, with the `sql_xlsx_*`
  helpers): then no row becomes a Python object at all.
"""

import queue
import re
import threading
import zipfile
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from maillage.core.spreadsheets import cell_safe, sql_cell_safe

# Style indexes of styles.xml (cellXfs), one per kind of cell.
STYLE_TEXT, STYLE_INTEGER, STYLE_DECIMAL, STYLE_PERCENT, STYLE_DATE, STYLE_DATETIME = range(6)
STYLE_HEADER, STYLE_HEADING = 6, 7
FORMATS = {
    STYLE_INTEGER: "#,##0",
    STYLE_DECIMAL: "#,##0.0",
    STYLE_PERCENT: "0.0%",
    STYLE_DATE: "DD/MM/YYYY",
    STYLE_DATETIME: "DD/MM/YYYY HH:MM",
}
EPOCH = datetime(1899, 12, 30)
EPOCH_DAY = EPOCH.date()
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# XML 1.0 refuses the control characters but tab, LF and CR (kept: `&#13;` survives parsing).
_CONTROL = {i: None for i in range(32) if i not in (9, 10, 13)}
_ENTITIES = {"\r": "&#13;"}


def column_letter(index):
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial(value):
    """Excel's date serial of a naive date or datetime (days since 30/12/1899)."""
    if isinstance(value, datetime):
        delta = value - EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return (value - EPOCH_DAY).days


def text_cell(value):
    text = cell_safe(str(value)).translate(_CONTROL)
    if not text:
        return "<c/>"
    # Spaces at either end are kept only when said (20 bytes a cell otherwise).
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c t="inlineStr"><is><t{space}>{escape(text, _ENTITIES)}</t></is></c>'


def number_cell(value, style):
    if isinstance(value, Decimal):
        value = float(value)
    return f'<c s="{style}"><v>{value!r}</v></c>'


def date_cell(value):
    style = STYLE_DATETIME if isinstance(value, datetime) else STYLE_DATE
    return f'<c s="{style}"><v>{serial(value)!r}</v></c>'


class XlsxStream:
    """One sheet written into `fileobj` as it comes: `write_row`/`write_xml`, then `close`."""

    def __init__(self, fileobj, *, title, labels, widths, heading=None, compresslevel=1):
        self.title = title
        self.labels = labels
        self.rows = 0
        self.header_row = 2 if heading else 1
        self.zip = zipfile.ZipFile(
            fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self.sheet = self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        top = f"A{self.header_row + 1}"
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, 1)
        )
        head = (
            f'<row><c s="{STYLE_HEADING}" t="inlineStr"><is><t>{escape(cell_safe(heading))}'
            "</t></is></c></row>"
            if heading
            else ""
        )
        header = "".join(
            f'<c s="{STYLE_HEADER}" t="inlineStr"><is><t>{escape(cell_safe(label))}</t></is></c>'
            for label in labels
        )
        self.sheet.write(
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
                '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
                f'<pane ySplit="{self.header_row}" topLeftCell="{top}" activePane="bottomLeft"'
                ' state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
                "</sheetView></sheetViews>"
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
                f"{head}<row>{header}</row>"
            ).encode()
        )

    def write_row(self, cells):
        """One row of cells already rendered (`text_cell`, `number_cell`, `date_cell`)."""
        self.sheet.write(("<row>" + "".join(cells) + "</row>").encode())
        self.rows += 1

    def write_xml(self, data, rows):
        """`rows` rows of ready-made `<row>…</row>` XML (bytes), e.g. written by the database."""
        self.sheet.write(data)
        self.rows += rows

    def in_background(self, transform=None, depth=32):
        """A `BackgroundWriter` of this sheet: `put(data, rows)` ..., then `close()`."""
        return BackgroundWriter(self, transform=transform, depth=depth)

    def close(self):
        last_column = column_letter(max(len(self.labels), 1))
        last_row = self.header_row + self.rows
        area = f"A{self.header_row}:{last_column}{last_row}"
        self.sheet.write(f'</sheetData><autoFilter ref="{area}"/></worksheet>'.encode())
        self.sheet.close()
        self._write_parts(area)
        self.zip.close()
        return self.rows

    def _write_parts(self, area):
        sheet_name = escape(self.title, {'"': "&quot;"})
        quoted = self.title.replace("'", "''")
        start, end = area.split(":")
        filter_range = escape(f"'{quoted}'!{_absolute(start)}:{_absolute(end)}")
        parts = {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                '<Override PartName="/xl/styles.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PACKAGE_RELS}">'
                f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PACKAGE_RELS}">'
                f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
                "</Relationships>"
            ),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/></bookViews>'
                f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets>'
                '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
                f'hidden="1">{filter_range}</definedName></definedNames>'
                "</workbook>"
            ),
            "xl/styles.xml": _styles(),
        }
        for name, text in parts.items():
            self.zip.writestr(name, text)


class BackgroundWriter:
    """Compresses the sheet in a thread (zlib lets go of the GIL) while the caller reads the
    next rows from the database: the database does not wait for the compression."""

    def __init__(self, stream, *, transform=None, depth=32):
        self.stream = stream
        self.transform = transform or (lambda data: data)
        self.queue = queue.Queue(maxsize=depth)
        self.error = None
        self.thread = threading.Thread(target=self._run, name="xlsx-writer", daemon=True)
        self.thread.start()

    def _run(self):
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.stream.write_xml(self.transform(item[0]), item[1])
                except BaseException as error:  # given to the caller at its next put/close
                    self.error = error

    def put(self, data, rows):
        if self.error is not None:
            raise self.error
        self.queue.put((data, rows))

    def close(self):
        """Wait for what is queued; the sheet is then complete (or the error raised)."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _absolute(ref):
    """A5 → $A$5."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    return f"${letters}${ref[len(letters) :]}"


def _styles():
    formats = "".join(
        f'<numFmt numFmtId="{163 + style}" formatCode="{escape(code)}"/>'
        for style, code in FORMATS.items()
    )
    number_xfs = "".join(
        f'<xf numFmtId="{163 + style}" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        for style in FORMATS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{MAIN}"><numFmts count="{len(FORMATS)}">{formats}</numFmts>'
        '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="12"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFDDDDEE"/></patternFill></fill>'
        "</fills>"
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        f"{number_xfs}"
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


# --- cells written by PostgreSQL -----------------------------------------------------------
# Each helper gives the SQL of one cell's XML from a column expression; `sql_xlsx_row` joins
# them into `<row>…</row>`.

# `COPY`'s text format writes a backslash as \\ and tab, LF, CR (and \b \f \v) as escapes;
# the other control characters come out as they are. `from_copy_text` turns those into
# character references (or drops what XML refuses) on the stream, in C (`re`, `translate`):
# the SQL only escapes & < >, with three `replace` (a regular expression per cell costs more).
_COPY_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)
_FROM_COPY = {b"\\": b"&#92;", b"t": b"&#9;", b"n": b"&#10;", b"r": b"&#13;"}
_RAW_CONTROL = bytes(i for i in range(32) if i not in (9, 10, 13))


def _unescape(match):
    return _FROM_COPY.get(match.group(1), b"")


def from_copy_text(data):
    """Rows of XML as `COPY … TO STDOUT` (text format) wrote them, as plain XML (bytes)."""
    if b"\\" in data:
        data = _COPY_ESCAPE.sub(_unescape, data)
    return data.translate(None, _RAW_CONTROL)


def sql_xlsx_escaped(expression):
    """The text with XML's & < > escaped (`from_copy_text` does the rest on the stream)."""
    return f"replace(replace(replace({expression}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def sql_xlsx_text(expression):
    """An inline string cell of the text `expression`, neutralised (`sql_cell_safe`, tested on
    the raw text) and escaped; empty or NULL: `<c/>`. Without `xml:space="preserve"` (a test
    per cell would cost more than it is worth): Excel may trim spaces at either end."""
    shown = sql_cell_safe(expression, sql_xlsx_escaped(expression))
    return (
        f"COALESCE('<c t=\"inlineStr\"><is><t>' || NULLIF({shown}, '') || '</t></is></c>', '<c/>')"
    )


def sql_xlsx_number(expression, style=STYLE_INTEGER):
    return f"COALESCE('<c s=\"{style}\"><v>' || ({expression}) || '</v></c>', '<c/>')"


def sql_xlsx_datetime(expression, zone):
    """A timestamp with time zone shown in `zone` (Europe/Paris), as a date serial."""
    # float8 (`date_part`): a third cheaper than numeric (`EXTRACT`), exact to the microsecond.
    value = f"(date_part('epoch', ({expression}) AT TIME ZONE '{zone}') / 86400 + 25569)"
    return sql_xlsx_number(value, STYLE_DATETIME)


def sql_xlsx_date(expression):
    return sql_xlsx_number(f"(({expression}) - DATE '1899-12-30')", STYLE_DATE)


def sql_xlsx_row(cells):
    # One `concat` call: a chain of `||` would copy the growing row once per cell.
    return "concat('<row>', " + ", ".join(cells) + ", '</row>')"
