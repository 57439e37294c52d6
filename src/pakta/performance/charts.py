"""The performance dashboards' charts: heat map, trend and status bars, drawn by ECharts in the
browser from JSON data, with the same figures as a table beside each chart
(``pakta.core.charts``, docs/frontend.md).

Values go to the browser as numbers (the browser formats them for the page's language); the
table beside the chart is formatted here, the Indonesian way in Indonesian (``87,5%``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from pakta.core.charts import number, render_chart
from pakta.performance.achievement import band, band_label, band_scale, bands_setting, cap_setting
from pakta.performance.models import QUARTER_LABELS, QUARTERS

# Colours of the bands, as in pakta.css (hm-<band>): the chart and the legend agree.
BAND_COLOURS = {
    "sangat_baik": "#1a7f37",
    "baik": "#8fcf8f",
    "cukup": "#f3d35b",
    "kurang": "#f0a058",
    "sangat_kurang": "#c0392b",
    "none": "#eef1f5",
}
STATUS_COLOURS = {
    "signed": "#1a7f37",
    "approved": "#8fcf8f",
    "submitted": "#f3d35b",
    "draft": "#b9c1cc",
}


def percent(value: Decimal | None, separator: str | None = None) -> str:
    """``87,5%`` in Indonesian, ``87.5%`` in English; an empty value is a dash. Pass the
    language's decimal separator when formatting many values (``get_format`` is looked up once)."""
    if value is None:
        return "\u2013"
    number_ = Decimal(value).quantize(Decimal("0.01"))
    number_ = (
        number_.quantize(Decimal(1)) if number_ == number_.to_integral() else number_.normalize()
    )
    if separator is None:
        return f"{number_format(number_, use_l10n=True)}%"
    # Achievement is capped (120% by default): no thousands to group.
    return f"{number_:f}".replace(".", separator) + "%"


def band_legend() -> list[dict[str, Any]]:
    """The bands, best first, with their lowest value, for legends."""
    ordered = sorted(bands_setting(), key=lambda b: Decimal(str(b[0])), reverse=True)
    return [
        {
            "code": code,
            "label": band_label(code),
            "from": percent(Decimal(str(low))),
            "low": float(low),
            "colour": BAND_COLOURS.get(code, "#888888"),
        }
        for low, code in ordered
    ]


def _quarter_head(first: str) -> SafeString:
    escape = html.escape
    cells = "".join(f'<th scope="col">{escape(str(QUARTER_LABELS[q]))}</th>' for q in QUARTERS)
    return SafeString(f'<tr><th scope="col">{escape(first)}</th>{cells}</tr>')


# --- Heat map: rows x quarters, each cell coloured by its band --------------------------------

_TABLE_ROW = '<tr><th scope="row">{name}{note}</th>{cells}</tr>'
_TABLE_CELL = (
    '<td class="num" data-key="{key}" data-quarter="{quarter}" data-value="{value}" '
    'data-band="{band}">{text}</td>'
)


def heatmap(
    rows: Sequence[Any], *, title: str, desc: str, row_header: str, chart_id: str
) -> SafeString:
    """Rows (objects with ``key``, ``label``, ``url``, ``note`` and ``values`` per quarter) as a
    heat map: one column per quarter, each cell coloured by its achievement band.

    The table rows are the bulk of the markup (the national page has 546 of them): they are
    assembled with ``str.format``, every text escaped with ``html.escape``.
    """
    escape = html.escape
    separator = get_format("DECIMAL_SEPARATOR")
    bands = band_scale()
    table_rows: list[str] = []
    spec_rows: list[dict[str, Any]] = []
    values: list[list[Any]] = []
    for i, row in enumerate(rows):
        key = int(row.key)
        label = escape(str(row.label))
        note_text = str(getattr(row, "note", "") or "")
        url = str(row.url or "")
        cells: list[str] = []
        for j, quarter in enumerate(QUARTERS):
            value = row.values.get(quarter)
            code = bands(value) or "none"
            cells.append(
                _TABLE_CELL.format(
                    key=key,
                    quarter=quarter,
                    value="" if value is None else value,
                    band=code,
                    text=percent(value, separator),
                )
            )
            values.append([j, i, number(value), code])
        table_rows.append(
            _TABLE_ROW.format(
                name=f'<a href="{escape(url)}">{label}</a>' if url else label,
                note=f' <span class="muted">({escape(note_text)})</span>' if note_text else "",
                cells="".join(cells),
            )
        )
        spec_rows.append({"label": str(row.label), "url": url, "note": note_text})
    bands_legend = band_legend()
    spec = {
        "columns": [str(QUARTER_LABELS[q]) for q in QUARTERS],
        "rows": spec_rows,
        "values": values,
        "unit": "%",
        "bands": bands_legend,
        "none": {"label": gettext("No verified realization"), "colour": BAND_COLOURS["none"]},
        "labels": {"empty": gettext("No achievement has been recorded yet.")},
    }
    return render_chart(
        kind="heatmap",
        chart_id=chart_id,
        title=title,
        desc=desc,
        spec=spec,
        table_head=_quarter_head(row_header),
        table_body=SafeString("".join(table_rows)),
        legend=[
            *(
                {"label": f"{b['label']} (≥ {b['from']})", "css": f"sw-{b['code']}"}
                for b in bands_legend
            ),
            {"label": gettext("No verified realization"), "css": "sw-none"},
        ],
    )


# --- Line chart: achievement per quarter --------------------------------------------------------


@dataclass
class Series:
    name: str
    values: dict[int, Decimal | None]
    css: str = "main"


def _raw(value: Decimal | None) -> str:
    return "" if value is None else str(value)


SERIES_COLOURS = {"main": "#1b4f8a", "other": "#6b7280"}


def line_chart(series: Sequence[Series], *, title: str, desc: str, chart_id: str) -> SafeString:
    """Achievement per quarter as lines over the band stripes (0 to the cap)."""
    escape = html.escape
    separator = get_format("DECIMAL_SEPARATOR")
    body = []
    for s in series:
        cells = "".join(
            f'<td class="num" data-quarter="{q}" data-value="{_raw(s.values.get(q))}">'
            f"{percent(s.values.get(q), separator)}</td>"
            for q in QUARTERS
        )
        body.append(f'<tr><th scope="row">{escape(s.name)}</th>{cells}</tr>')
    spec = {
        "categories": [str(QUARTER_LABELS[q]) for q in QUARTERS],
        "series": [
            {
                "name": s.name,
                "dashed": s.css == "other",
                "colour": SERIES_COLOURS.get(s.css, SERIES_COLOURS["main"]),
                "values": [number(s.values.get(q)) for q in QUARTERS],
                "bands": [band(s.values.get(q)) or "none" for q in QUARTERS],
            }
            for s in series
        ],
        "unit": "%",
        "min": 0,
        "max": float(max([cap_setting(), Decimal(100)])),
        "bands": band_legend(),
    }
    return render_chart(
        kind="line",
        chart_id=chart_id,
        title=title,
        desc=desc,
        spec=spec,
        table_head=_quarter_head(""),
        table_body=SafeString("".join(body)),
    )


# --- Stacked bars: agreements by status, per unit ------------------------------------------------


STATUS_PARTS = ("signed", "approved", "submitted", "draft")


def status_bars(
    rows: Sequence[dict[str, Any]], *, title: str, desc: str, labels: dict[str, str], chart_id: str
) -> SafeString:
    """Horizontal stacked bars, one per unit: signed, approved, submitted, draft (with returned).

    Each row is ``{"label", "signed", "approved", "submitted", "draft", "not_signed", "total"}``.
    """
    escape = html.escape
    head = (
        f'<tr><th scope="col">{escape(gettext("Unit"))}</th>'
        + "".join(f'<th scope="col">{escape(labels[p])}</th>' for p in STATUS_PARTS)
        + f'<th scope="col">{escape(gettext("Not yet signed"))}</th></tr>'
    )
    body = "".join(
        f'<tr><th scope="row">{escape(str(r["label"]))}</th>'
        + "".join(f'<td class="num">{r[p]}</td>' for p in STATUS_PARTS)
        + f'<td class="num" data-not-signed="{r["not_signed"]}">{r["not_signed"]}</td></tr>'
        for r in rows
    )
    spec = {
        "categories": [str(r["label"]) for r in rows],
        "notes": [
            ngettext(
                "%(counter)s of %(total)s not signed",
                "%(counter)s of %(total)s not signed",
                r["not_signed"],
            )
            % {"counter": r["not_signed"], "total": r["total"]}
            for r in rows
        ],
        "series": [
            {"name": labels[p], "colour": STATUS_COLOURS[p], "values": [r[p] for r in rows]}
            for p in STATUS_PARTS
        ],
    }
    return render_chart(
        kind="bars",
        chart_id=chart_id,
        title=title,
        desc=desc,
        spec=spec,
        table_head=SafeString(head),
        table_body=SafeString(body),
    )
