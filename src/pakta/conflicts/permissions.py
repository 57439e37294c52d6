"""Who may do what with conflict-of-interest declarations (see docs/permissions.md).

A standing declaration is personal data about the official's family and money: only the official
themself and the Inspektorat read it. Decisions (packages, HR decisions) are managed by the
administrator, the Inspektorat and, for their own unit, a Kepala OPD; the Pimpinan sees counts.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pakta.audit.registry import register_actions
from pakta.core.permissions import ALL_ROLES, register
from pakta.core.roles import Role

register(
    "conflicts.declare", ALL_ROLES, _("Fill in and submit one's own declarations of interests")
)
register(
    "conflicts.review",
    {Role.INSPEKTORAT},
    _("Read every declaration of interests and review screening findings"),
)
register(
    "conflicts.decisions",
    {Role.ADMIN, Role.INSPEKTORAT, Role.KEPALA_OPD},
    _("Record decisions that need declarations, their members, tenderers and recusals"),
    unit_scoped=True,
)
register(
    "conflicts.reports",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN},
    _("See conflict-of-interest reports (counts per unit and year)"),
)

register_actions(
    {
        "conflicts.declaration.started": _("Declaration of interests started"),
        "conflicts.declaration.updated": _("Declaration of interests changed"),
        "conflicts.declaration.submitted": _("Declaration of interests signed and submitted"),
        "conflicts.declaration.correction": _("Correction of a declaration requested"),
        "conflicts.decision.created": _("Decision needing declarations recorded"),
        "conflicts.decision.member_added": _("Member added to a decision"),
        "conflicts.decision.subject_added": _("Tenderer or candidate added to a decision"),
        "conflicts.decision.declared": _("Declaration for a decision made"),
        "conflicts.decision.recusal": _("Recusal recorded with a substitute"),
        "conflicts.decision.clean": _("Decision recorded as clean"),
        "conflicts.screening.run": _("Conflict-of-interest screening run"),
        "conflicts.screening.procurement": _(
            "Procurement packages screened against declarations of interests"
        ),
        "conflicts.finding.confirmed": _("Screening finding confirmed"),
        "conflicts.finding.dismissed": _("Screening finding dismissed"),
        "conflicts.report.exported": _("Conflict-of-interest report exported"),
    }
)


def can_read_declaration(user: Any, declaration: Any) -> bool:
    """The official themself, or the Inspektorat of the declaration's Pemda."""
    from pakta.core.permissions import has_permission

    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "official_id", None) == declaration.official_id:
        return True
    return has_permission(user, declaration.pemda, "conflicts.review")


def can_manage_decision(user: Any, decision: Any) -> bool:
    from pakta.core.permissions import has_permission, unit_scope
    from pakta.org.selectors import unit_in_scope

    if not has_permission(user, decision.pemda, "conflicts.decisions"):
        return False
    return unit_in_scope(decision.unit, unit_scope(user, decision.pemda, "conflicts.decisions"))
