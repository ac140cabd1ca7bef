"""Server-side SVG charts: horizontal bars (grouped or stacked) and a heatmap for flows.

No JavaScript: the markup is built here and printed as is. Colours only use presentation
attributes (the CSP forbids inline styles), every bar carries its value as text so the chart
reads in black and white, and every chart is `role="img"` with a title and a description
that points to the table beside it. Hidden counts (suppression) are never drawn to scale:
their bar is absent and labelled "< 5".
"""

import itertools
from html import escape

from django.utils.safestring import mark_safe

from maillage.indicators import suppression

# Dark, distinct hues (≥ 3:1 against white, WCAG 1.4.11), Marianne blue first.
PALETTE = ["#000091", "#b34000", "#18753c", "#6a1b9a", "#5c5c5c", "#b3261e", "#006d7c", "#7a5c00"]
FONT = 'font-family="system-ui, Arial, sans-serif"'
_ids = itertools.count(1)
MASKED = "masqué"  # tables.SECRET: a cell hidden so that totals do not give a small one away


def _fmt(value):
    if value is None:
        return "—"
    return suppression.label(value)


def _svg(width, height, title, body):
    uid = f"chart-{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{uid}-t {uid}-d" class="chart" '
        f'preserveAspectRatio="xMinYMin meet" {FONT}>'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">Graphique ; les mêmes données figurent dans le tableau associé.</desc>'
        f"{body}</svg>"
    )


def _truncate(text, size):
    text = str(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def hbar(*, title, categories, series, stacked=False, unit="", counts=True):
    """Horizontal bars: one row per category; `series` = [(label, [value or None, ...]), ...].

    `counts`: the values count people, so small ones are hidden; False for days or hours.
    """

    def hidden(value):
        return counts and suppression.is_hidden(value)

    def shown(value):
        if value is None:
            return "—"
        return _fmt(value) if counts else f"{value:g}"

    label_w, bar_w, value_w = 190, 360, 70
    width = label_w + bar_w + value_w
    series = [(name, [None if hidden(v) else v for v in values], values) for name, values in series]
    if stacked:
        totals = [
            sum(v or 0 for _, vals, _ in series for v in [vals[i]]) for i in range(len(categories))
        ]
        top = max(totals, default=0)
        row_h = 24
    else:
        top = max((v or 0 for _, vals, _ in series for v in vals), default=0)
        row_h = 16 * len(series) + 8
    top = top or 1
    legend_h = 24 if len(series) > 1 else 0
    height = legend_h + row_h * len(categories) + 8
    parts = []
    if legend_h:
        x = 0
        for i, (name, _, _) in enumerate(series):
            colour = PALETTE[i % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
            parts.append(
                f'<text x="{x + 16}" y="14" font-size="12" fill="#1e1e1e">'
                f"{escape(str(name))}</text>"
            )
            x += 24 + 7 * len(str(name))
    scale = bar_w / top
    for row, category in enumerate(categories):
        y = legend_h + row * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row_h / 2 + 4}" font-size="12" text-anchor="end" '
            f'fill="#1e1e1e">{escape(_truncate(category, 28))}</text>'
        )
        if stacked:
            x = label_w
            partial = False
            for i, (_, vals, raw) in enumerate(series):
                value = vals[row]
                partial = partial or hidden(raw[row])
                if value:
                    w = value * scale
                    parts.append(
                        f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                        f'fill="{PALETTE[i % len(PALETTE)]}" stroke="#fff" stroke-width="1"/>'
                    )
                    x += w
            total = sum(v or 0 for _, vals, _ in series for v in [vals[row]])
            text = "partiel" if partial else shown(total)
            parts.append(
                f'<text x="{x + 4:.1f}" y="{y + row_h / 2 + 4}" font-size="12" fill="#1e1e1e">'
                f"{escape(text)}</text>"
            )
        else:
            for i, (_, vals, raw) in enumerate(series):
                value = vals[row]
                by = y + 4 + i * 16
                w = (value or 0) * scale
                if w:
                    parts.append(
                        f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="13" '
                        f'fill="{PALETTE[i % len(PALETTE)]}"/>'
                    )
                text = shown(raw[row])
                parts.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{by + 11}" font-size="11" '
                    f'fill="#1e1e1e">{escape(text if raw[row] is None else text + unit)}</text>'
                )
    parts.append(
        f'<line x1="{label_w}" y1="{legend_h}" x2="{label_w}" y2="{height - 8}" '
        f'stroke="#4a4a4a" stroke-width="1"/>'
    )
    return _svg(width, height, title, "".join(parts))


def _shade(value, top):
    """From a pale to the dark blue, by the square root of the share of the maximum."""
    ratio = (value / top) ** 0.5 if top else 0
    pale, dark = (227, 227, 253), (0, 0, 145)
    rgb = [round(p + (d - p) * ratio) for p, d in zip(pale, dark, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), ratio > 0.45


def heatmap(*, title, row_labels, column_labels, matrix):
    """A flow matrix: rows send, columns receive; a cell is a count, None (hidden) or "" (n/a)."""
    label_w, head_h, cell = 170, 110, 46
    width = label_w + cell * len(column_labels) + 4
    height = head_h + cell * len(row_labels) + 4
    top = max(
        (v for row in matrix for v in row if isinstance(v, int) and not suppression.is_hidden(v)),
        default=0,
    )
    parts = []
    for j, name in enumerate(column_labels):
        x = label_w + j * cell + cell / 2
        parts.append(
            f'<text transform="translate({x + 4:.0f},{head_h - 6}) rotate(-55)" font-size="11" '
            f'fill="#1e1e1e">{escape(_truncate(name, 18))}</text>'
        )
    for i, name in enumerate(row_labels):
        y = head_h + i * cell
        parts.append(
            f'<text x="{label_w - 6}" y="{y + cell / 2 + 4}" font-size="11" text-anchor="end" '
            f'fill="#1e1e1e">{escape(_truncate(name, 24))}</text>'
        )
        for j, value in enumerate(matrix[i]):
            x = label_w + j * cell
            if value == "":
                fill, dark, text = "#ffffff", False, "—"
            elif value == MASKED:
                fill, dark, text = "#f6f6f6", False, "masqué"
            elif value is None or suppression.is_hidden(value):
                fill, dark, text = "#f6f6f6", False, f"< {suppression.threshold()}"
            else:
                fill, dark = _shade(value, top)
                text = _fmt(value)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" '
                f'stroke="#b5b5b5" stroke-width="1"/>'
            )
            ink = "#ffffff" if dark else "#1e1e1e"
            parts.append(
                f'<text x="{x + (cell - 2) / 2}" y="{y + cell / 2 + 3}" font-size="11" '
                f'text-anchor="middle" fill="{ink}">{escape(text)}</text>'
            )
    return _svg(width, height, title, "".join(parts))
