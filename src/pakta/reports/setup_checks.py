"""Setup checks of the reporting channel: handlers and their keys (``pakta.core.setup``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.accounts.models import User
from pakta.core.roles import Role
from pakta.core.setup import SetupItem, register_check
from pakta.org.models import Pemda
from pakta.reports.models import HandlerKey


def _handlers(pemda: Pemda) -> list[User]:
    return list(
        User.objects.filter(
            memberships__pemda=pemda, memberships__role=Role.INSPEKTORAT, is_active=True
        )
        .distinct()
        .order_by("username")
    )


@register_check(30)
def report_handlers(pemda: Pemda) -> SetupItem:
    handlers = _handlers(pemda)
    keyed = set(HandlerKey.objects.filter(user__in=handlers).values_list("user_id", flat=True))
    without_key = [u.username for u in handlers if u.pk not in keyed]
    with_key = len(handlers) - len(without_key)
    todo: Any = _("Give the Inspektorat role to the officials who handle reports.")
    if handlers and without_key:
        todo = _(
            "These handlers have not created their report key yet (they do it once, after "
            "logging in, under Reports): %(names)s. Reports that arrive before cannot be opened "
            "by them."
        ) % {"names": ", ".join(without_key)}
    return SetupItem(
        label=_("Report handlers of the Inspektorat have created their report keys"),
        ok=with_key > 0 and not without_key,
        needed_for=_("Integrity reports: a report is encrypted to the handlers who have a key"),
        todo=todo,
        link=reverse("users:user_list", kwargs={"pemda": pemda.slug}),
    )
