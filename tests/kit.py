"""The shared test kit: valid NIPs, a watch on new audit events, and ``assert_refused`` (a
refused change leaves no row and no event). See docs/testing.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models import Max, Model

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.org import services as org
from pakta.org.models import Official, Pemda


def make_nip(index: int, *, sex: int = 1) -> str:
    """A valid, unique NIP for ``index`` (0..30000): born 1980, appointed January 2005."""
    serial = index % 999 + 1
    day_of_year = index // 999  # 0..30
    return f"198001{day_of_year + 1:02d}200501{sex}{serial:03d}"


class AuditWatch:
    """Remembers the last audit sequence number, to list the events written after it."""

    def __init__(self) -> None:
        self.start = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0

    def events(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(seq__gt=self.start).order_by("seq"))

    def actions(self) -> list[str]:
        return [event.action for event in self.events()]


@contextmanager
def assert_refused(*models: type[Model], match: str = "") -> Iterator[None]:
    """The block must raise ``DomainError`` (whose message contains ``match``) and leave
    nothing behind: no new audit event and no new, changed or deleted row of ``models``.

        with assert_refused(Unit, match="sudah ada"):
            services.unit_create(pemda=pemda, name="Dinas A", acting_user=admin)
    """
    watch = AuditWatch()
    before = {model: _snapshot(model) for model in models}
    with pytest.raises(DomainError) as refused:
        yield
    if match:
        assert match in str(refused.value), str(refused.value)
    assert watch.actions() == [], f"a refused change wrote audit events: {watch.actions()}"
    for model, rows in before.items():
        assert _snapshot(model) == rows, f"a refused change touched {model.__name__} rows"


def _snapshot(model: type[Model]) -> list[tuple[Any, ...]]:
    return list(model._default_manager.order_by("pk").values_list())


def make_leader(pemda: Pemda, superadmin: Any, *, nip: str, name: str, title: str) -> Official:
    """An official heading the Sekretariat Daerah as ``title`` (a Bupati, a Sekda) since 2021."""
    unit = org.unit_create(
        pemda=pemda, name="Sekretariat Daerah", acting_user=superadmin, kind="sekretariat"
    )
    position = org.position_create(
        pemda=pemda, unit=unit, title=title, level="jpt_utama", acting_user=superadmin
    )
    official = org.official_create(pemda=pemda, nip=nip, name=name, acting_user=superadmin)
    org.assignment_start(
        official=official,
        position=position,
        start_date=dt.date(2021, 2, 26),
        acting_user=superadmin,
    )
    return official
