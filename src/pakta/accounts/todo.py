"""What waits for the head of the Inspektorat (or the superadmin) in "Tugas saya": requests
for roles that read integrity reports, and for the custody of the escrow key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pakta.accounts import selectors, services
from pakta.core.todo import Todo, register_todo

LIMIT = 20


def role_request_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    if not services.role_request_can_decide(user=user, pemda=pemda):
        return
    url = reverse("users:role_request_list", kwargs={"pemda": pemda.slug})
    for request in selectors.role_requests_pending_for(pemda=pemda)[:LIMIT]:
        if user.pk in (request.user_id, request.requested_by_id):
            continue
        yield Todo(
            kind="accounts.role_request",
            title=_("Decide the request: the role %(role)s for %(user)s")
            % {"role": request.get_role_display(), "user": request.user.username},
            url=url,
            since=request.created_at,
        )


register_todo("accounts", role_request_todos)
