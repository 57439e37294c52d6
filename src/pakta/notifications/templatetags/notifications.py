"""``{% unread_notifications %}``: the unread count beside the user's name in the top bar."""

from __future__ import annotations

from typing import Any

from django import template

from pakta.notifications.selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_unread.html", takes_context=True)
def unread_notifications(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"count": notification_unread_count(user=user) if user is not None else 0}
