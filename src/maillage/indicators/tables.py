"""A table of figures: what a page shows beside its chart, what CSV and XLSX exports contain.

Cells keep raw values; the suppression rule is applied once, when a cell is formatted, so
pages and exports cannot disagree.
"""

from dataclasses import dataclass, field

from maillage.core import exports as writer
from maillage.indicators import suppression

# COUNT: people, subject to suppression; INTEGER: things (events, actions), never hidden.
TEXT, COUNT, PERCENT, DAYS, NUMBER, INTEGER = (
    "text",
    "count",
    "percent",
    "days",
    "number",
    "integer",
)


@dataclass
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Table:
    slug: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    # Rows after the body (totals, the partnership's reference line), shown in <tfoot>.
    footer: list = field(default_factory=list)
    chart: str = ""
    note: str = ""
    # Body cells (row, column) hidden because a total would let one recompute a small count.
    secret: set = field(default_factory=set)

    def _format(self, row, export=False, index=None):
        return [
            SECRET if (index, j) in self.secret else format_cell(col.kind, value, export=export)
            for j, (col, value) in enumerate(zip(self.columns, row, strict=True))
        ]

    @property
    def has_missing_figure(self):
        """A rate, a delay or a number of this table is missing (shown "—")."""
        kinds = [col.kind not in (TEXT, COUNT) for col in self.columns]
        return any(
            show and value is None
            for row in [*self.rows, *self.footer]
            for show, value in zip(kinds, row, strict=False)
        )

    def display_rows(self):
        return [self._format(row, index=i) for i, row in enumerate(self.rows)]

    def display_footer(self):
        return [
            self._format(row, index="f" if i == 0 else None) for i, row in enumerate(self.footer)
        ]

    def protect(self, *, columns=True, row_total=None):
        """Complementary suppression over the sums this table shows (see `complementary`).

        `columns`: the first footer row holds column sums; `row_total`: key of the column
        holding row sums. Footer cells are keyed ("f", column index).
        """
        cols = [j for j, c in enumerate(self.columns) if c.kind == COUNT and c.key != row_total]
        total = next((j for j, c in enumerate(self.columns) if c.key == row_total), None)
        summed_cols = cols + ([total] if total is not None else [])
        body = range(len(self.rows))
        values = {(i, j): self.rows[i][j] for i in body for j in summed_cols}
        has_footer = columns and bool(self.footer)
        if has_footer:
            values |= {("f", j): self.footer[0][j] for j in summed_cols}
        lines = []
        if columns:
            lines += [
                [(i, j) for i in body] + ([("f", j)] if has_footer else []) for j in summed_cols
            ]
        if total is not None:
            rows = [*body, "f"] if has_footer else list(body)
            lines += [[(i, j) for j in cols] + [(i, total)] for i in rows]
        self.secret = complementary(values, lines)
        if self.secret:
            extra = (
                "« masqué » : effectif masqué pour qu'une petite case ne se déduise pas des totaux."
            )
            self.note = f"{self.note} {extra}".strip()
        return self

    def export_columns(self):
        return [
            writer.Col(str(col.label), EXPORT_KINDS.get(col.kind, writer.AUTO), secret=True)
            if col.kind == COUNT
            else writer.Col(str(col.label), EXPORT_KINDS.get(col.kind, writer.AUTO))
            for col in self.columns
        ]

    def _export(self, row, index):
        return [
            writer.Secret(SECRET) if (index, j) in self.secret else export_cell(col.kind, value)
            for j, (col, value) in enumerate(zip(self.columns, row, strict=True))
        ]

    def export_rows(self):
        """Typed header then typed rows, suppression applied: a hidden count is a `Secret`
        (an empty cell, so sums work, explained in the « Secret statistique » column)."""
        yield self.export_columns()
        for i, row in enumerate(self.rows):
            yield self._export(row, i)
        for i, row in enumerate(self.footer):
            yield self._export(row, "f" if i == 0 else None)

    def _api(self, row, index):
        return [
            None if (index, j) in self.secret else _api_value(col.kind, v)
            for j, (col, v) in enumerate(zip(self.columns, row, strict=True))
        ]

    def api_rows(self):
        """Body rows for the API: hidden and masked counts are None."""
        return [self._api(row, i) for i, row in enumerate(self.rows)]

    def api_footer(self):
        return [self._api(row, "f" if i == 0 else None) for i, row in enumerate(self.footer)]

    @property
    def is_empty(self):
        return not self.rows and not self.footer


SECRET = "masqué"


def complementary(values, lines):
    """Cells to mask besides the small ones, so that no line total gives a small count away.

    `values` maps a cell to its count, `lines` lists groups of cells whose sum is shown. A
    line with exactly one hidden cell would let anyone subtract: the smallest other non-zero
    cell of the line is masked too, and so on until no line has a single hidden cell.
    """
    secret = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [c for c in line if suppression.is_hidden(values.get(c)) or c in secret]
            if len(hidden) != 1:
                continue
            others = [c for c in line if c not in hidden and values.get(c)]
            if others:
                secret.add(min(others, key=lambda c: (values[c], c)))
                changed = True
    return secret


def _api_value(kind, value):
    if value is None:
        return None
    if kind == COUNT:
        return suppression.visible(value)
    if kind == TEXT:
        return str(value)
    return value


EXPORT_KINDS = {
    TEXT: writer.TEXT,
    COUNT: writer.INTEGER,
    PERCENT: writer.PERCENT,
    DAYS: writer.DECIMAL,
    NUMBER: writer.DECIMAL,
    INTEGER: writer.INTEGER,
}


def export_cell(kind, value):
    """A cell of an export: typed; a count under the threshold is a `Secret` ("< 5")."""
    if value is None:
        return None
    if kind == TEXT:
        return str(value)
    if kind == COUNT and suppression.is_hidden(value):
        return writer.Secret(suppression.label(value))
    return value


def format_cell(kind, value, *, export=False):
    if kind == TEXT:
        return "" if value is None else str(value)
    if kind == COUNT:
        if export:
            if value is None:
                return ""
            return suppression.label(value) if suppression.is_hidden(value) else value
        return suppression.label(value)
    if value is None:
        return "" if export else "—"
    if kind == PERCENT:
        return value if export else f"{value:.1f}\u202f%".replace(".", ",")
    if kind == DAYS:
        return value if export else f"{value}\u202fj"
    if kind == INTEGER:
        return value if export else f"{value:,}".replace(",", "\u202f")
    if kind == NUMBER:
        return value if export else f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return value
