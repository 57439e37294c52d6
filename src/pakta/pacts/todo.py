"""What waits for a user in the pacts app ("Tugas saya"), and telling them when it appears."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pakta.core.todo import Todo, register_todo
from pakta.notifications.services import todo_announce
from pakta.pacts import selectors
from pakta.pacts.models import Pact, SigningEvent

LIMIT = 50


def _sign_url(pact: Pact, pemda: Any) -> str:
    return reverse("pacts:pact_sign", kwargs={"pemda": pemda.slug, "pk": pact.pk})


def pact_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    """Pacts to sign (of an open event, or of a new position) and pacts to witness: two queries."""
    to_sign = selectors.pacts_to_sign_for(user=user).filter(pemda=pemda)[:LIMIT]
    for pact in to_sign:
        yield Todo(
            kind="pacts.sign",
            title=_("Sign your integrity pact %(year)s") % {"year": pact.year},
            url=_sign_url(pact, pemda),
            since=pact.created_at,
            due=pact.due_date,
        )
    to_witness = selectors.pacts_to_witness_for(user=user).filter(pemda=pemda)[:LIMIT]
    for pact in to_witness:
        yield Todo(
            kind="pacts.witness",
            title=_("Countersign as witness the integrity pact %(year)s of %(name)s")
            % {"year": pact.year, "name": pact.official.full_name},
            url=_sign_url(pact, pemda),
            since=pact.signed_at,
        )


register_todo("pacts", pact_todos)


def record_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    """Ceremony records waiting for the user's signature as leader or internal witness."""
    for event in selectors.records_to_sign_for(user=user).filter(pemda=pemda)[:LIMIT]:
        yield Todo(
            kind="pacts.record",
            title=_("Sign the ceremony record of “%(event)s”") % {"event": event.title},
            url=reverse("pacts:event_record", kwargs={"pemda": pemda.slug, "pk": event.pk}),
            since=event.updated_at,
        )


register_todo("pacts_record", record_todos)


# --- Announcing a task when it appears ------------------------------------------------------------


def announce_pacts_to_sign(pacts: Iterable[Pact]) -> int:
    """Tell the officials that a pact waits for their signature: one query for their accounts and
    one insert, whatever the number of pacts (the link opens "My signatures")."""
    pacts = list(pacts)
    if not pacts:
        return 0
    pemda = pacts[0].pemda
    years = sorted({pact.year for pact in pacts})

    def render(user: Any) -> tuple[str, str]:
        year = ", ".join(str(y) for y in years)
        subject = _("Your integrity pact %(year)s waits for your signature") % {"year": year}
        return subject, _("Open “My signatures” to read and sign it.")

    inbox = reverse("pacts:inbox", kwargs={"pemda": pemda.slug})
    return todo_announce(
        official_ids=[pact.official_id for pact in pacts],
        render=render,
        url=inbox,
        pemda=pemda,
        kind="pacts.sign",
        group=_pacts_to_sign,
        group_url=inbox,
    )


def _pacts_to_sign(user: Any, count: int) -> tuple[str, str]:
    subject = ngettext(
        "%(count)s integrity pact waits for your signature",
        "%(count)s integrity pacts wait for your signature",
        count,
    ) % {"count": count}
    return subject, _("Open “My signatures” to read and sign them.")


def _pacts_to_witness(user: Any, count: int) -> tuple[str, str]:
    subject = ngettext(
        "%(count)s integrity pact waits for your countersignature as witness",
        "%(count)s integrity pacts wait for your countersignature as witness",
        count,
    ) % {"count": count}
    return subject, _("Open “My signatures” to read and countersign them.")


def announce_event_open(event: SigningEvent) -> int:
    """An event opened: every invited official with an account is told (two queries)."""
    pacts = list(
        Pact.objects.filter(event=event, status=Pact.Status.PENDING).select_related("pemda")
    )
    return announce_pacts_to_sign(pacts)


def announce_pact_to_witness(pact: Pact) -> int:
    if not pact.witness_id:
        return 0
    name = pact.official.full_name
    year = pact.year

    def render(user: Any) -> tuple[str, str]:
        subject = _("The integrity pact %(year)s of %(name)s waits for your countersignature") % {
            "year": year,
            "name": name,
        }
        return subject, _("Read it and countersign it as witness.")

    return todo_announce(
        official_ids=[pact.witness_id],
        render=render,
        url=_sign_url(pact, pact.pemda),
        pemda=pact.pemda,
        kind="pacts.witness",
        group=_pacts_to_witness,
        group_url=reverse("pacts:inbox", kwargs={"pemda": pact.pemda.slug}),
    )


def announce_record_to_sign(event: SigningEvent) -> int:
    """The record of a closed event waits for its leader and internal witnesses."""
    official_ids = [
        event.leader_id,
        *list(event.witnesses.filter(is_external=False).values_list("official_id", flat=True)),
    ]
    title = event.title

    def render(user: Any) -> tuple[str, str]:
        subject = _("The ceremony record of “%(event)s” waits for your signature") % {
            "event": title
        }
        return subject, _("Read the record and sign it as leader or witness.")

    return todo_announce(
        official_ids=official_ids,
        render=render,
        url=reverse("pacts:event_record", kwargs={"pemda": event.pemda.slug, "pk": event.pk}),
        pemda=event.pemda,
    )
