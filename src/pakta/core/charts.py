"""Charts drawn in the browser by Apache ECharts (docs/frontend.md), with their figures as a table.

A chart is a ``<figure>`` holding an empty ``<div class="echart">``, the chart's data as JSON
(``json_script``: raw numbers and ISO dates, never text formatted for a language) and the same
figures as an HTML table beside it, for screen readers, printing and copying.
``static/pakta/ui.js`` (loaded by ``base.html``, no inline script: the Content-Security-Policy
forbids them) loads ECharts when a page has a chart, formats numbers and dates with the page's
language (``Intl``), and adds tooltips and the PNG/SVG download buttons.

Each app builds the ``spec`` for one of the kinds ``ui.js`` draws: ``heatmap``, ``line``,
``bars`` (stacked horizontal) and ``gantt`` (a timeline).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext

KINDS = ("heatmap", "line", "bars", "gantt")


def number(value: Decimal | float | int | None) -> float | None:
    """A value as JSON wants it (``json_script`` would write a Decimal as a string)."""
    return None if value is None else float(value)


def common_labels() -> dict[str, str]:
    """Words every chart's toolbar and tooltip need, in the reader's language."""
    return {
        "save_png": gettext("Download as PNG"),
        "save_svg": gettext("Download as SVG"),
        "no_value": gettext("No value"),
        "today": gettext("Today"),
    }


def render_chart(
    *,
    kind: str,
    chart_id: str,
    title: str,
    desc: str,
    spec: dict[str, Any],
    table_head: SafeString | str,
    table_body: SafeString | str,
    filename: str = "",
    legend: list[dict[str, str]] | None = None,
) -> SafeString:
    """The figure: the chart's container, its data (``<script type="application/json">``) and
    the table (``table_head``/``table_body``: the ``<thead>`` and ``<tbody>`` contents).
    ``legend``: ``{"label", "css"}`` items shown under the chart (a CSS class gives the colour:
    no inline style)."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    spec = {
        "kind": kind,
        "title": str(title),
        "filename": filename or chart_id,
        "labels": {**common_labels(), **spec.pop("labels", {})},
        **spec,
    }
    context = {
        "kind": kind,
        "id": chart_id,
        "title": title,
        "desc": desc,
        "spec": spec,
        "spec_id": f"{chart_id}-spec",
        "table_head": table_head,
        "table_body": table_body,
        "legend": legend or [],
    }
    return SafeString(render_to_string("charts/chart.html", context))
