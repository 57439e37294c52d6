"""Charts as server-rendered inline SVG, for the performance dashboards.

Each function computes the geometry and renders a small Django template into markup: an
``<svg role="img">`` with ``<title>`` and ``<desc>``, followed by the same figures as a data table
(for screen readers, for printing and for copying). No JavaScript, no external library, no inline
``style`` attribute (the Content-Security-Policy forbids them): colours come from CSS classes in
``pakta.css`` (``hm-<band>``) and SVG presentation attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from pakta.performance.achievement import band, band_label, bands_setting, cap_setting
from pakta.performance.models import QUARTER_LABELS, QUARTERS

LABEL_CHARS = 38


def _n(value: float) -> str:
    """A coordinate as SVG wants it: a dot for decimals, whatever the language (and rendered
    as a string, which templates do not localize)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value: Decimal | None) -> str:
    """``87,5%`` in Indonesian, ``87.5%`` in English; an empty value is a dash."""
    if value is None:
        return "\u2013"
    number = Decimal(value).quantize(Decimal("0.01"))
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return f"{number_format(number, use_l10n=True)}%"


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


@dataclass
class HeatCell:
    quarter: int
    label: str
    value: Decimal | None
    text: str
    band: str
    x: str = "0"
    text_x: str = "0"


@dataclass
class HeatLine:
    key: int
    label: str
    short: str
    url: str
    note: str
    y: str = "0"
    text_y: str = "0"
    value_y: str = "0"
    cells: list[HeatCell] = field(default_factory=list)
    svg_cells: str = ""
    table_cells: str = ""


def heatmap(
    rows: Sequence[Any], *, title: str, desc: str, row_header: str, chart_id: str
) -> SafeString:
    """Rows (objects with ``key``, ``label``, ``url``, ``note`` and ``values`` per quarter) as a
    heat map: one column per quarter, each cell coloured by its achievement band."""
    label_w, cell_w, cell_h, top = 340, 92, 30, 28
    lines: list[HeatLine] = []
    for i, row in enumerate(rows):
        line = HeatLine(
            key=row.key,
            label=row.label,
            short=_short(row.label),
            url=row.url,
            note=str(getattr(row, "note", "") or ""),
            y=_n(top + i * cell_h),
            text_y=_n(top + i * cell_h + 18),
            value_y=_n(top + i * cell_h + (cell_h - 3) // 2 + 5),
        )
        for j, quarter in enumerate(QUARTERS):
            value = row.values.get(quarter)
            line.cells.append(
                HeatCell(
                    quarter=quarter,
                    label=QUARTER_LABELS[quarter],
                    value=value,
                    text=percent(value),
                    band=band(value) or "none",
                    x=_n(label_w + j * cell_w),
                    text_x=_n(label_w + j * cell_w + (cell_w - 3) // 2),
                )
            )
        # The cells are the bulk of the markup: built here with format_html (escaped like the
        # template would) rather than by the template engine, which is ten times slower.
        line.svg_cells = format_html_join(
            "",
            '<g class="heat-cell" data-key="{}" data-quarter="{}"><rect x="{}" y="{}" '
            'width="{}" height="{}" rx="3" class="hm hm-{}"><title>{}, {}: {}</title></rect>'
            '<text x="{}" y="{}" text-anchor="middle" class="hm-t hm-t-{}">{}</text></g>',
            (
                (
                    line.key,
                    c.quarter,
                    c.x,
                    line.y,
                    cell_w - 3,
                    cell_h - 3,
                    c.band,
                    line.label,
                    c.label,
                    c.text,
                    c.text_x,
                    line.value_y,
                    c.band,
                    c.text,
                )
                for c in line.cells
            ),
        )
        line.table_cells = format_html_join(
            "",
            '<td class="num" data-key="{}" data-quarter="{}" data-value="{}">{}</td>',
            (
                (line.key, c.quarter, "" if c.value is None else str(c.value), c.text)
                for c in line.cells
            ),
        )
        lines.append(line)
    context = {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "row_header": row_header,
        "lines": lines,
        "quarters": [
            {"label": QUARTER_LABELS[q], "x": _n(label_w + j * cell_w + cell_w // 2)}
            for j, q in enumerate(QUARTERS)
        ],
        "width": _n(label_w + len(QUARTERS) * cell_w + 4),
        "height": _n(top + max(1, len(lines)) * cell_h + 4),
        "cell_w": _n(cell_w - 3),
        "cell_h": _n(cell_h - 3),
        "label_x": _n(label_w - 10),
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
