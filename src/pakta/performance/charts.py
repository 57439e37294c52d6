"""Charts as server-rendered inline SVG, for the performance dashboards.

Each function computes the geometry and renders a small Django template into markup: an
``<svg role="img">`` with ``<title>`` and ``<desc>``, followed by the same figures as a data table
(for screen readers, for printing and for copying). No JavaScript, no external library, no inline
``style`` attribute (the Content-Security-Policy forbids them): colours come from CSS classes in
``pakta.css`` (``hm-<band>``) and SVG presentation attributes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString

from pakta.performance.achievement import band, band_label, band_scale, bands_setting, cap_setting
from pakta.performance.models import QUARTER_LABELS, QUARTERS

LABEL_CHARS = 38


def _n(value: float) -> str:
    """A coordinate as SVG wants it: a dot for decimals, whatever the language (and rendered
    as a string, which templates do not localize)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value: Decimal | None, separator: str | None = None) -> str:
    """``87,5%`` in Indonesian, ``87.5%`` in English; an empty value is a dash. Pass the
    language's decimal separator when formatting many values (``get_format`` is looked up once)."""
    if value is None:
        return "\u2013"
    number = Decimal(value).quantize(Decimal("0.01"))
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    if separator is None:
        return f"{number_format(number, use_l10n=True)}%"
    # Achievement is capped (120% by default): no thousands to group.
    return f"{number:f}".replace(".", separator) + "%"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def band_legend() -> list[dict[str, Any]]:
    """The bands, best first, with their lowest value, for legends."""
    ordered = sorted(bands_setting(), key=lambda b: Decimal(str(b[0])), reverse=True)
    return [
        {"code": code, "label": band_label(code), "from": percent(Decimal(str(low)))}
        for low, code in ordered
    ]


# --- Heat map: rows x quarters, each cell coloured by its band --------------------------------


_SVG_ROW = (
    '<g class="heat-row">{open}<text x="{label_x}" y="{text_y}" text-anchor="end" '
    'class="row-label"><title>{label}{note}</title>{short}{star}</text>{close}{cells}</g>'
)
_SVG_CELL = (
    '<g class="heat-cell" data-key="{key}" data-quarter="{quarter}"><rect x="{x}" y="{y}" '
    'width="{w}" height="{h}" rx="3" class="hm hm-{band}"><title>{label}, {quarter_label}: '
    '{text}</title></rect><text x="{text_x}" y="{value_y}" text-anchor="middle" '
    'class="hm-t hm-t-{band}">{text}</text></g>'
)
_TABLE_ROW = '<tr><th scope="row">{name}{note}</th>{cells}</tr>'
_TABLE_CELL = (
    '<td class="num" data-key="{key}" data-quarter="{quarter}" data-value="{value}">{text}</td>'
)


def heatmap(
    rows: Sequence[Any], *, title: str, desc: str, row_header: str, chart_id: str
) -> SafeString:
    """Rows (objects with ``key``, ``label``, ``url``, ``note`` and ``values`` per quarter) as a
    heat map: one column per quarter, each cell coloured by its achievement band.

    The rows are the bulk of the markup (the national page has 546 of them, 4,000 cells): they
    are assembled here with ``str.format``, every text escaped with ``html.escape`` (what
    ``django.utils.html.escape`` calls, without its lazy-string wrapper), keys and coordinates
    being numbers. That is several times faster than the template engine or ``format_html``;
    the template renders only the frame, the legend and the headers.
    """
    label_w, cell_w, cell_h, top = 340, 92, 30, 28
    escape = html.escape
    separator = get_format("DECIMAL_SEPARATOR")
    quarter_labels = {q: escape(str(QUARTER_LABELS[q])) for q in QUARTERS}
    columns = {
        q: (_n(label_w + j * cell_w), _n(label_w + j * cell_w + (cell_w - 3) // 2))
        for j, q in enumerate(QUARTERS)
    }
    bands = band_scale()
    svg_rows: list[str] = []
    table_rows: list[str] = []
    for i, row in enumerate(rows):
        key = int(row.key)
        label = escape(str(row.label))
        note_text = str(getattr(row, "note", "") or "")
        note = escape(note_text)
        url = escape(str(row.url or ""))
        y, value_y = _n(top + i * cell_h), _n(top + i * cell_h + (cell_h - 3) // 2 + 5)
        svg_cells: list[str] = []
        table_cells: list[str] = []
        for quarter in QUARTERS:
            value = row.values.get(quarter)
            text = percent(value, separator)
            x, text_x = columns[quarter]
            svg_cells.append(
                _SVG_CELL.format(
                    key=key,
                    quarter=quarter,
                    x=x,
                    y=y,
                    w=cell_w - 3,
                    h=cell_h - 3,
                    band=escape(bands(value) or "none"),
                    label=label,
                    quarter_label=quarter_labels[quarter],
                    text=text,
                    text_x=text_x,
                    value_y=value_y,
                )
            )
            table_cells.append(
                _TABLE_CELL.format(
                    key=key, quarter=quarter, value="" if value is None else value, text=text
                )
            )
        svg_rows.append(
            _SVG_ROW.format(
                open=f'<a href="{url}">' if url else "",
                close="</a>" if url else "",
                label_x=_n(label_w - 10),
                text_y=_n(top + i * cell_h + 18),
                label=label,
                note=f" ({note})" if note else "",
                short=escape(_short(str(row.label))),
                star=" *" if note else "",
                cells="".join(svg_cells),
            )
        )
        table_rows.append(
            _TABLE_ROW.format(
                name=f'<a href="{url}">{label}</a>' if url else label,
                note=f' <span class="muted">({note})</span>' if note else "",
                cells="".join(table_cells),
            )
        )
    context = {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "row_header": row_header,
        "svg_rows": SafeString("\n".join(svg_rows)),
        "table_rows": SafeString("".join(table_rows)),
        "quarters": [
            {"label": QUARTER_LABELS[q], "x": _n(label_w + j * cell_w + cell_w // 2)}
            for j, q in enumerate(QUARTERS)
        ],
        "width": _n(label_w + len(QUARTERS) * cell_w + 4),
        "height": _n(top + max(1, len(rows)) * cell_h + 4),
        "legend": band_legend(),
    }
    return SafeString(render_to_string("performance/dashboard_chart_heatmap.html", context))


# --- Line chart: achievement per quarter --------------------------------------------------------


@dataclass
class Series:
    name: str
    values: dict[int, Decimal | None]
    css: str = "main"


def line_chart(series: Sequence[Series], *, title: str, desc: str, chart_id: str) -> SafeString:
    """Achievement per quarter as lines over the band stripes (0 to the cap)."""
    width, height = 640, 280
    left, right, top, bottom = 48, 24, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    cap = Decimal(cap_setting())
    highest = max(
        [cap, Decimal(100)] + [v for s in series for v in s.values.values() if v is not None]
    )

    def y_of(value: Decimal) -> float:
        return round(top + plot_h - float(value) / float(highest) * plot_h, 1)

    step = plot_w / (len(QUARTERS) - 1)
    x_of = {q: round(left + i * step, 1) for i, q in enumerate(QUARTERS)}
    stripes = []
    ordered = sorted(bands_setting(), key=lambda b: Decimal(str(b[0])), reverse=True)
    upper = highest
    for low, code in ordered:
        low_d = max(Decimal(str(low)), Decimal(0))
        if low_d >= upper:
            continue
        stripes.append({"band": code, "y": _n(y_of(upper)), "h": _n(y_of(low_d) - y_of(upper))})
        upper = low_d
    ticks = [
        {"y": _n(y_of(Decimal(v))), "label": percent(Decimal(v))}
        for v in (0, 25, 50, 75, 100, int(highest))
        if v <= highest
    ]
    drawn = []
    for s in series:
        present = {q: v for q, v in s.values.items() if v is not None}
        points = [
            {
                "x": _n(x_of[q]),
                "y": _n(y_of(present[q])),
                "label_y": _n(y_of(present[q]) - 10),
                "quarter": q,
                "label": QUARTER_LABELS[q],
                "value": s.values[q],
                "text": percent(s.values[q]),
                "band": band(s.values[q]),
            }
            for q in QUARTERS
            if s.values.get(q) is not None
        ]
        # A missing quarter breaks the line rather than joining across it.
        segments: list[list[dict[str, Any]]] = [[]]
        for q in QUARTERS:
            if s.values.get(q) is None:
                segments.append([])
            else:
                segments[-1].append(next(p for p in points if p["quarter"] == q))
        paths = [" ".join(f"{p['x']},{p['y']}" for p in seg) for seg in segments if len(seg) > 1]
        drawn.append({"name": s.name, "css": s.css, "points": points, "paths": paths})
    context = {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "width": _n(width),
        "height": _n(height),
        "left": _n(left),
        "tick_x": _n(left - 6),
        "right": _n(width - right),
        "plot_w": _n(plot_w),
        "stripes": stripes,
        "ticks": ticks,
        "series": drawn,
        "table_series": [
            {
                "name": s.name,
                "cells": [percent(s.values.get(q)) for q in QUARTERS],
                "summary": f"{s.name}: "
                + ", ".join(f"{QUARTER_LABELS[q]} {percent(s.values.get(q))}" for q in QUARTERS),
            }
            for s in series
        ],
        "quarters": [
            {"label": QUARTER_LABELS[q], "x": _n(x_of[q]), "y": _n(height - bottom + 22)}
            for q in QUARTERS
        ],
        "legend": band_legend(),
    }
    return SafeString(render_to_string("performance/dashboard_chart_line.html", context))


# --- Stacked bars: agreements by status, per unit ------------------------------------------------


STATUS_PARTS = ("signed", "approved", "submitted", "draft")


def status_bars(
    rows: Sequence[dict[str, Any]], *, title: str, desc: str, labels: dict[str, str], chart_id: str
) -> SafeString:
    """Horizontal stacked bars, one per unit: signed, approved, submitted, draft (with returned).

    Each row is ``{"label", "signed", "approved", "submitted", "draft", "not_signed"}``.
    """
    label_w, bar_w, bar_h, gap, top = 340, 300, 18, 8, 8
    most = max([1] + [sum(r[p] for p in STATUS_PARTS) for r in rows])
    bars = []
    for i, row in enumerate(rows):
        y = top + i * (bar_h + gap)
        x = label_w
        parts = []
        for part in STATUS_PARTS:
            w = round(row[part] / most * bar_w, 1)
            if row[part]:
                parts.append(
                    {"part": part, "x": _n(x), "w": _n(w), "n": row[part], "name": labels[part]}
                )
            x += w
        bars.append(
            {
                "label": row["label"],
                "short": _short(row["label"]),
                "y": _n(y),
                "text_y": _n(y + bar_h - 4),
                "parts": parts,
                "end": _n(x + 6),
                "row": row,
            }
        )
    context = {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "bars": bars,
        "bar_h": _n(bar_h),
        "label_x": _n(label_w - 10),
        "width": _n(label_w + bar_w + 130),
        "height": _n(top + max(1, len(rows)) * (bar_h + gap) + 4),
        "parts": [{"part": p, "name": labels[p]} for p in STATUS_PARTS],
        "labels": labels,
    }
    return SafeString(render_to_string("performance/dashboard_chart_bars.html", context))
