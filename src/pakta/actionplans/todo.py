"""What waits for a user in the action plans ("Tugas saya"): actions due, actions to verify."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pakta.actionplans import selectors
from pakta.actionplans.models import ActionItem
from pakta.core.permissions import has_permission
from pakta.core.todo import Todo, register_todo

LIMIT = 50


def _url(item: ActionItem, pemda: Any) -> str:
    return reverse("actionplans:item_detail", kwargs={"pemda": pemda.slug, "pk": item.pk})


def _title(item: ActionItem) -> str:
    return item.title if len(item.title) <= 90 else item.title[:89] + "…"


def action_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    """Two queries at most: the user's own open actions, and (inspektorat) actions to verify."""
    own = (
        selectors.action_items_owned_by(pemda=pemda, user=user)
        .filter(status__in=(ActionItem.Status.OPEN, ActionItem.Status.RETURNED))
        .order_by("due_date", "pk")
    )
    for item in own[:LIMIT]:
        if item.status == ActionItem.Status.RETURNED:
            title = _("Correct the action “%(title)s” returned by the inspektorat")
        else:
            title = _("Carry out the action “%(title)s” and report its progress")
        yield Todo(
            kind="actionplans.do",
            title=title % {"title": _title(item)},
            url=_url(item, pemda),
            since=item.created_at,
            due=item.due_date,
        )
    if has_permission(user, pemda, "actionplans.verify"):
        waiting = (
            selectors.action_item_list_for(pemda=pemda)
            .filter(status=ActionItem.Status.SUBMITTED)
            .order_by("updated_at", "pk")
        )
        for item in waiting[:LIMIT]:
            yield Todo(
                kind="actionplans.verify",
                title=_("Verify the action “%(title)s” (%(unit)s)")
                % {"title": _title(item), "unit": item.owner_unit.name},
                url=_url(item, pemda),
                since=item.updated_at,
            )


register_todo("actionplans", action_todos)
