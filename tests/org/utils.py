"""Small helpers shared by the org tests: valid NIPs and a watch on new audit events."""

from __future__ import annotations

from django.db.models import Max

from pakta.audit.models import AuditEvent


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
