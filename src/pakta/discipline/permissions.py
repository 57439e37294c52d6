"""Who may see and act on discipline cases (docs/permissions.md, "Discipline cases").

Cases are confidential by default. The Inspektorat (APIP) and the Pemda administrator acting for
the BKPSDM (the HR role) see every case; any other user sees only the cases in which their own
official acts: the direct superior, the examiner or a member of the examination team, and the
official who may decide the case's level. The official concerned sees their own case once a
summons is issued (to sign the BAP and receive the decision). Every opening of a case page is
audited (``discipline.case.viewed``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pakta.audit.registry import register_actions
from pakta.core.permissions import ALL_ROLES, has_permission, register
from pakta.core.roles import Role

# Reaching the discipline pages at all: any member; each case is then checked (404 otherwise).
register("discipline.access", ALL_ROLES, _("Open the discipline cases one takes part in"))
# Seeing every case of the Pemda (confidential): Inspektorat and the HR role (Admin for BKPSDM).
register(
    "discipline.view",
    {Role.INSPEKTORAT, Role.ADMIN},
    _("See every discipline case of the Pemda"),
)
register(
    "discipline.manage",
    {Role.INSPEKTORAT, Role.ADMIN},
    _("Open discipline cases and record their procedural steps"),
)
register(
    "discipline.export",
    {Role.ADMIN, Role.INSPEKTORAT},
    _("Export decided sanctions for BKN SIASN"),
)
register(
    "discipline.stats",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN},
    _("See discipline figures (counts only)"),
)

register_actions(
    {
        "discipline.case.opened": _("Discipline case opened"),
        "discipline.case.viewed": _("Discipline case opened for reading"),
        "discipline.summons.issued": _("Discipline summons issued"),
        "discipline.summons.absent": _("Official absent at a discipline hearing"),
        "discipline.team.formed": _("Discipline examination team formed"),
        "discipline.examination.recorded": _("Discipline examination recorded (BAP)"),
        "discipline.examination.signed": _("Discipline examination record signed"),
        "discipline.decision.made": _("Discipline sanction decided"),
        "discipline.decision.delivered": _("Discipline decision delivered"),
        "discipline.objection.filed": _("Objection to a discipline decision filed"),
        "discipline.objection.decided": _("Objection to a discipline decision decided"),
        "discipline.case.final": _("Discipline decision final"),
        "discipline.case.escalated": _("Discipline case escalated (superior did not act)"),
        "discipline.case.closed": _("Discipline case closed without sanction"),
        "discipline.sanctions.exported": _("Discipline sanctions exported for SIASN"),
    }
)


def can_see_all(user: Any, pemda: Any) -> bool:
    return has_permission(user, pemda, "discipline.view")


def case_roles_of(user: Any, case: Any) -> set[str]:
    """The parts ``user``'s own official plays in ``case``: superior, examiner, team, authority,
    subject (the official concerned)."""
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return set()
    roles: set[str] = set()
    if case.superior_id == official_id:
        roles.add("superior")
    if case.examiner_id == official_id:
        roles.add("examiner")
    if case.team.filter(pk=official_id).exists():
        roles.add("team")
    if case.official_id == official_id:
        roles.add("subject")
    from pakta.discipline.services import authority_officials

    if any(o is not None and o.pk == official_id for o in authority_officials(case).values()):
        roles.add("authority")
    return roles


def can_view_case(user: Any, case: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if can_see_all(user, case.pemda):
        return True
    roles = case_roles_of(user, case)
    if roles == {"subject"}:
        return case.stage != case.Stage.OPENED
    return bool(roles)


def can_manage_case(user: Any, case: Any) -> bool:
    if has_permission(user, case.pemda, "discipline.manage"):
        return True
    return bool(case_roles_of(user, case) & {"superior", "examiner", "team"})
