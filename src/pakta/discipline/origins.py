"""Origins of a discipline case in the gratification, conflicts and procurement apps.

A case keeps such an origin in its generic fields (``origin`` kind + ``origin_ref`` id +
``origin_label``); this module is the one place that resolves them to the real rows: it finds
the row of the Pemda, says whether it may open a case, pre-fills the official and the facts,
and gives the link back to the origin's page for the roles who may read it. Discipline sits
above the three apps (pyproject ``[tool.importlinter]``), so it imports them, never the reverse:
their pages show the "Open a discipline case" button through ``{% discipline_open_button %}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pakta.core.errors import DomainError
from pakta.core.permissions import has_permission
from pakta.org.models import Official, Pemda

GRATIFICATION = "gratification"
CONFLICT = "conflict"
PROCUREMENT = "procurement"
KINDS = (GRATIFICATION, CONFLICT, PROCUREMENT)


class OriginError(DomainError):
    """A refusal about the origin, shown next to the form field ``field``."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Prefill:
    official: Official | None
    incident_date: Any
    summary: str
    label: str


def _model(kind: str) -> Any:
    if kind == GRATIFICATION:
        from pakta.gratification.models import GratificationReport

        return GratificationReport
    if kind == CONFLICT:
        from pakta.conflicts.models import Finding

        return Finding
    from pakta.procurement.models import Case

    return Case


def kind_of(obj: Any) -> str | None:
    """The origin kind of a row of the three apps, or None for any other object."""
    for kind in KINDS:
        if isinstance(obj, _model(kind)):
            return kind
    return None


def origin_get(*, pemda: Pemda, kind: str, pk: Any) -> Any:
    """The origin row ``pk`` of ``kind`` of this Pemda; a missing one, or another Pemda's, is a
    refusal with a whole sentence (field ``origin_ref``)."""
    if kind not in KINDS:
        raise OriginError(_("Unknown origin."), field="origin")
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = None
    if not pk:
        raise OriginError(
            _("Choose the gratification report, conflict finding or procurement case."),
            field="origin_ref",
        )
    row = _model(kind).objects.filter(pk=pk).first()
    if row is None:
        raise OriginError(_("This origin record does not exist."), field="origin_ref")
    if row.pemda_id != pemda.pk:
        raise OriginError(
            _(
                "This origin record belongs to another Pemda: a case can only come from a record of this Pemda."
            ),
            field="origin_ref",
        )
    return row


def ineligible_reason(kind: str, row: Any) -> str:
    """Why this origin cannot open a discipline case ("" when it can)."""
    if kind == GRATIFICATION and not row.late:
        return _("Only a gratification report that was reported late can open a discipline case.")
    if kind == CONFLICT and row.status != row.Status.CONFIRMED:
        return _("Only a confirmed conflict-of-interest finding can open a discipline case.")
    if kind == PROCUREMENT and (
        row.status != row.Status.CLOSED or row.finding in ("", row.Finding.NO_ISSUE)
    ):
        return _("Only a procurement case closed with a finding can open a discipline case.")
    return ""


def _procurement_official(case: Any) -> Official | None:
    from pakta.procurement.models import CommitteeMember

    member = (
        CommitteeMember.objects.filter(package=case.package, role=CommitteeMember.Role.PPK)
        .select_related("official")
        .first()
    ) or CommitteeMember.objects.filter(package=case.package).select_related("official").first()
    return member.official if member else None


def label_of(kind: str, row: Any) -> str:
    if kind == GRATIFICATION:
        return str(row)
    if kind == CONFLICT:
        return f"#{row.pk} {row.get_kind_display()}"
    return str(row.package)[:200]


def prefill(kind: str, row: Any) -> Prefill:
    """The official and the facts of a case opened from ``row``."""
    if kind == GRATIFICATION:
        summary = _(
            "Gratification %(number)s received on %(received)s from %(giver)s (%(what)s, "
            "Rp%(value)s) was reported late, on %(reported)s."
        ) % {
            "number": row,
            "received": row.received_on.isoformat(),
            "giver": row.giver_name,
            "what": row.description,
            "value": f"{row.value:,}".replace(",", "."),
            "reported": row.reported_on.isoformat(),
        }
        return Prefill(row.recipient, row.received_on, summary, label_of(kind, row))
    if kind == CONFLICT:
        summary = _("Confirmed conflict-of-interest finding (%(kind)s): %(explanation)s") % {
            "kind": row.get_kind_display(),
            "explanation": row.explanation,
        }
        if row.review_reason:
            summary += "\n" + _("Reviewer: %(reason)s") % {"reason": row.review_reason}
        date = row.reviewed_at.date() if row.reviewed_at else row.created_at.date()
        return Prefill(row.official, date, summary, label_of(kind, row))
    summary = _(
        "Procurement case on %(package)s closed with the finding %(finding)s: %(conclusion)s"
    ) % {
        "package": row.package,
        "finding": row.get_finding_display(),
        "conclusion": row.conclusion,
    }
    date = row.closed_at.date() if row.closed_at else row.created_at.date()
    return Prefill(_procurement_official(row), date, summary, label_of(kind, row))


_READ_PERMISSION = {
    GRATIFICATION: "gratification.read",
    CONFLICT: "conflicts.review",
    PROCUREMENT: "procurement.examine",
}


def link_for(user: Any, kind: str, row: Any) -> str:
    """The origin's page, for a user whose role may read it; "" otherwise."""
    if row is None or not has_permission(user, row.pemda, _READ_PERMISSION[kind]):
        return ""
    return str(row.get_absolute_url())


def case_origin_row(case: Any) -> Any:
    """The origin row of a case of the three kinds (None for other kinds or a vanished row)."""
    if case.origin not in KINDS or not case.origin_ref:
        return None
    return _model(case.origin).objects.filter(pemda=case.pemda, pk=case.origin_ref).first()
