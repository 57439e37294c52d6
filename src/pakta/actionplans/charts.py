"""The timeline ("Lini masa") of an action plan: one bar per action from the plan's start to its
due date, drawn by ECharts with the same dates as a table (``pakta.core.charts``)."""

from __future__ import annotations

import datetime as dt
import html

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from pakta.actionplans.models import ActionItem, ActionPlan
from pakta.core.charts import render_chart

COLOURS = {"done": "#16a34a", "late": "#dc2626", "open": "#2563eb"}


def gantt(*, items: list[ActionItem], plan: ActionPlan, today: dt.date | None = None) -> SafeString:
    """Bars from the plan's start to each item's due date, coloured done / late / in progress,
    with today marked. Empty without items."""
    today = today or timezone.localdate()
    if not items:
        return SafeString("")
    escape = html.escape
    start = timezone.localtime(plan.created_at).date()
    states = {
        "done": gettext("Done"),
        "late": gettext("Late"),
        "open": gettext("In progress"),
    }
    rows = []
    body = []
    for item in items:
        state = "done" if item.is_done else ("late" if item.is_late(today) else "open")
        rows.append(
            {
                "label": item.title,
                "start": start.isoformat(),
                "end": max(item.due_date, start).isoformat(),
                "state": state,
                "colour": COLOURS[state],
                "status": item.get_status_display(),
            }
        )
        body.append(
            f'<tr data-state="{state}"><th scope="row">{escape(item.title)}</th>'
            f'<td data-date="{start.isoformat()}">{escape(date_format(start))}</td>'
            f'<td data-date="{item.due_date.isoformat()}">{escape(date_format(item.due_date))}</td>'
            f"<td>{escape(states[state])} ({escape(str(item.get_status_display()))})</td></tr>"
        )
    head = (
        f'<tr><th scope="col">{escape(gettext("Action"))}</th>'
        f'<th scope="col">{escape(gettext("Start"))}</th>'
        f'<th scope="col">{escape(gettext("Due date"))}</th>'
        f'<th scope="col">{escape(gettext("Status"))}</th></tr>'
    )
    spec = {
        "rows": rows,
        "today": today.isoformat(),
        "states": [{"name": states[k], "colour": COLOURS[k]} for k in ("done", "late", "open")],
    }
    return render_chart(
        kind="gantt",
        chart_id="plan-timeline",
        title=gettext("Due dates of the actions"),
        desc=gettext(
            "Each bar runs from the plan's start to the action's due date. Green: done; red: "
            "late; blue: in progress. Dashed line: today."
        ),
        spec=spec,
        table_head=SafeString(head),
        table_body=SafeString(body and "".join(body)),
        filename="timeline",
    )
