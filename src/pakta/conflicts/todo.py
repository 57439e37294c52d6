"""What waits for a user in this app ("Tugas saya"): decisions to declare for, and declarations
the Inspektorat returned for correction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pakta.core.todo import Todo, register_todo


def conflicts_todo(user: Any, pemda: Any) -> Iterable[Todo]:
    from pakta.conflicts import selectors
    from pakta.conflicts.models import StandingDeclaration

    if not getattr(user, "official_id", None):
        return []
    todos = [
        Todo(
            kind="conflicts.declare",
            title=_("Declare your relationships for %(decision)s") % {"decision": member.decision},
            url=reverse(
                "conflicts:declare", kwargs={"pemda": pemda.slug, "pk": member.decision_id}
            ),
            since=member.created_at,
        )
        for member in selectors.decisions_to_declare(user=user, pemda=pemda)
        if not member.current  # type: ignore[attr-defined]
    ]
    for declaration in StandingDeclaration.objects.filter(
        pemda=pemda, official_id=user.official_id, status=StandingDeclaration.Status.CORRECTION
    ):
        todos.append(
            Todo(
                kind="conflicts.correct",
                title=_("Correct your declaration of interests %(year)s")
                % {"year": declaration.year},
                url=reverse("conflicts:home", kwargs={"pemda": pemda.slug}),
                since=declaration.updated_at,
            )
        )
    return todos


register_todo("conflicts", conflicts_todo)
