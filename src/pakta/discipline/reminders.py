"""Registered with notifications: the daily run (escalations of late stages, decisions becoming
final after the objection window) and the "Tugas saya" items of superiors, examiners, officials
and deciding authorities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.core.todo import Todo, register_todo
from pakta.notifications.reminders import register_reminder


def discipline_deadlines(now: dt.datetime) -> int:
    """Escalate every case whose stage deadline passed; make final the decisions whose objection
    window closed. Returns the number of cases changed."""
    from pakta.discipline import services
    from pakta.discipline.models import DisciplineCase, Sanction

    today = timezone.localdate(now)
    changed = 0
    late = DisciplineCase.objects.filter(
        is_open=True, stage__in=services.procedure.SUPERIOR_STAGES, stage_due__lt=today
    ).select_related("pemda", "superior")
    for case in late:
        if services.case_escalate(case=case, today=today) is not None:
            changed += 1
    ripe = DisciplineCase.objects.filter(
        stage=DisciplineCase.Stage.DELIVERED,
        sanction__objection_until__lt=today,
        sanction__status=Sanction.Status.DECIDED,
    )
    for case in ripe:
        services.case_finalise(case=case, acting_user=None, today=today)
        changed += 1
    return changed


def discipline_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    from pakta.discipline.models import DisciplineCase
    from pakta.discipline.services.procedure import bap_complete

    official_id = getattr(user, "official_id", None)
    if not official_id:
        return []
    todos: list[Todo] = []
    Stage = DisciplineCase.Stage
    # One query: the open cases this official must summon or examine, and every examined case
    # (to sign its record, or to decide it as an authority), split below.
    cases = list(
        DisciplineCase.objects.filter(pemda=pemda, is_open=True)
        .filter(
            Q(superior_id=official_id, stage__in=[Stage.OPENED, Stage.SUMMONED])
            | Q(stage=Stage.EXAMINED)
        )
        .select_related("pemda", "bap", "unit", "superior")
    )
    for case in cases:
        if case.stage == Stage.EXAMINED:
            continue
        title = (
            _("Summon the official of discipline case %(number)s")
            if case.stage == Stage.OPENED
            else _("Examine the official of discipline case %(number)s")
        )
        todos.append(
            Todo(
                kind="discipline.superior",
                title=title % {"number": case.number},
                url=case.get_absolute_url(),
                since=case.opened_on,
                due=case.stage_due,
            )
        )
    examined = [case for case in cases if case.stage == Stage.EXAMINED]
    signers = [case for case in examined if official_id in (case.examiner_id, case.official_id)]
    for case in signers:
        if bap_complete(case):
            continue
        if case.bap is not None and case.bap.signatures.filter(official_id=official_id).exists():
            continue
        todos.append(
            Todo(
                kind="discipline.bap",
                title=_("Sign the examination record of discipline case %(number)s")
                % {"number": case.number},
                url=case.get_absolute_url(),
                due=case.stage_due,
            )
        )
    from pakta.discipline.rules import authorities_for
    from pakta.discipline.services import authority_officials

    for case in examined:
        if not bap_complete(case):
            continue
        holders = authority_officials(case)
        if any(
            holders.get(a) is not None and holders[a].pk == official_id  # type: ignore[union-attr]
            for a in authorities_for(case.level)
        ):
            todos.append(
                Todo(
                    kind="discipline.decide",
                    title=_("Decide discipline case %(number)s") % {"number": case.number},
                    url=case.get_absolute_url(),
                    due=case.stage_due,
                )
            )
    return todos


register_reminder("discipline.deadlines", discipline_deadlines)
register_todo("discipline.tasks", discipline_todos)
