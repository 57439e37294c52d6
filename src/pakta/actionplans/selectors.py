"""Reads of action plans: lists, the dashboard counts, progress per plan / unit / source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pakta.actionplans.models import ActionItem, ActionPlan, ActionProgress, RecommendedAction
from pakta.org.models import Pemda


def action_plan_list_for(*, pemda: Pemda, source: str = "") -> QuerySet[ActionPlan]:
    qs = (
        ActionPlan.objects.filter(pemda=pemda)
        .select_related("finding__result__survey_year")
        .order_by("-created_at", "-pk")
    )
    if source:
        qs = qs.filter(source=source)
    today = timezone.localdate()
    return qs.annotate(
        total=Count("items"),
        done=Count("items", filter=Q(items__status=ActionItem.Status.DONE)),
        late=Count(
            "items",
            filter=Q(items__due_date__lt=today) & ~Q(items__status=ActionItem.Status.DONE),
        ),
    )


def action_plan_get_for(*, pemda: Pemda, pk: int) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.filter(pemda=pemda), pk=pk)


def action_item_list_for(
    *, pemda: Pemda, plan: ActionPlan | None = None, unit_id: int | None = None, late: bool = False
) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.filter(pemda=pemda).select_related("owner_unit", "owner", "plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if unit_id is not None:
        qs = qs.filter(owner_unit_id=unit_id)
    if late:
        qs = qs.filter(due_date__lt=timezone.localdate()).exclude(status=ActionItem.Status.DONE)
    return qs


def action_items_owned_by(*, pemda: Pemda, user: Any) -> QuerySet[ActionItem]:
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return ActionItem.objects.none()
    return action_item_list_for(pemda=pemda).filter(owner_id=official_id)


def action_item_get_for(*, pemda: Pemda, pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.filter(pemda=pemda).select_related("plan", "owner_unit", "owner"), pk=pk
    )


def action_progress_for(*, item: ActionItem) -> QuerySet[ActionProgress]:
    return item.progress.select_related("author").prefetch_related("evidence")


def evidence_get_for(*, item: ActionItem, sha256: str) -> Any:
    """An evidence file attached to the item, or 404."""
    progress = ActionProgress.objects.filter(item=item, evidence__sha256=sha256).first()
    if progress is None:
        raise Http404
    return progress.evidence.get(sha256=sha256)


def library_for(*, dimensions: list[str] | None = None) -> QuerySet[RecommendedAction]:
    qs = RecommendedAction.objects.filter(is_active=True)
    if dimensions:
        qs = qs.filter(dimension__in=dimensions)
    return qs


@dataclass
class ProgressRow:
    key: Any
    label: str
    total: int
    done: int
    submitted: int
    late: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_by(*, pemda: Pemda, by: str, today: dt.date | None = None) -> list[ProgressRow]:
    """Items done, awaiting verification and late, grouped by ``plan``, ``unit`` or ``source``."""
    today = today or timezone.localdate()
    fields = {
        "plan": ("plan_id", "plan__title"),
        "unit": ("owner_unit_id", "owner_unit__name"),
        "source": ("plan__source", "plan__source"),
    }[by]
    rows = (
        ActionItem.objects.filter(pemda=pemda)
        .values(*fields)
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
            submitted=Count("pk", filter=Q(status=ActionItem.Status.SUBMITTED)),
            late=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=ActionItem.Status.DONE)),
        )
        .order_by(fields[1])
    )
    labels = dict(ActionPlan.Source.choices)
    return [
        ProgressRow(
            key=row[fields[0]],
            label=str(labels.get(row[fields[1]], row[fields[1]]))
            if by == "source"
            else row[fields[1]],
            total=row["total"],
            done=row["done"],
            submitted=row["submitted"],
            late=row["late"],
        )
        for row in rows
    ]


def dashboard_counts(*, pemda: Pemda, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    items = ActionItem.objects.filter(pemda=pemda)
    return items.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
        submitted=Count("pk", filter=Q(status=ActionItem.Status.SUBMITTED)),
        returned=Count("pk", filter=Q(status=ActionItem.Status.RETURNED)),
        late=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=ActionItem.Status.DONE)),
    )


def plan_timeline(*, plan: ActionPlan) -> list[dict[str, Any]]:
    """Everything that happened to the plan's items, in time order, with the due dates."""
    events: list[dict[str, Any]] = [
        {
            "when": plan.created_at,
            "kind": "created",
            "item": None,
            "note": "",
            "author": plan.created_by,
        }
    ]
    for progress in (
        ActionProgress.objects.filter(item__plan=plan)
        .select_related("item", "author")
        .prefetch_related("evidence")
    ):
        events.append(
            {
                "when": progress.created_at,
                "kind": progress.kind,
                "label": progress.get_kind_display(),
                "item": progress.item,
                "note": progress.note,
                "author": progress.author,
                "evidence": list(progress.evidence.all()),
            }
        )
    events.sort(key=lambda e: e["when"])
    return events
