"""Who may do what with gratification reports (docs/gratification.md, docs/permissions.md).

A report is seen by the person it names (the recipient, or who filed it), the UPG and the
Inspektorat (read only); nobody else, whatever their role: for them it does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pakta.audit.registry import register_actions
from pakta.core.permissions import ALL_ROLES, has_permission, register
from pakta.core.roles import Role

register("gratification.report", ALL_ROLES, _("Report gratification received or refused"))
register(
    "gratification.read",
    {Role.UPG, Role.INSPEKTORAT},
    _("Read every gratification report of the Pemda"),
)
register(
    "gratification.manage",
    {Role.UPG},
    _("Process gratification reports, keep the custody and giver registers"),
)
register(
    "gratification.stats",
    {Role.UPG, Role.INSPEKTORAT, Role.PIMPINAN},
    _("See gratification statistics (counts only)"),
)

register_actions(
    {
        "gratification.report.filed": _("Gratification report filed"),
        "gratification.report.returned": _("Gratification report returned as incomplete"),
        "gratification.report.completed": _("Gratification report completed"),
        "gratification.report.verified": _("Gratification report verified as complete"),
        "gratification.report.expired": _("Gratification report not completed in time"),
        "gratification.report.analysed": _("Gratification report analysed"),
        "gratification.report.forwarded": _("Gratification report forwarded to KPK"),
        "gratification.report.kpk_number": _("KPK report number recorded"),
        "gratification.report.decided": _("Gratification status determined"),
        "gratification.report.executed": _("Gratification decision carried out"),
        "gratification.report.signed": _("Gratification recap signed"),
        "gratification.quarter.signed": _("Quarterly gratification recap signed"),
        "gratification.custody.received": _("Item taken into custody"),
        "gratification.custody.released": _("Item released from custody"),
        "gratification.giver.added": _("Giver register entry added"),
        "gratification.rule.changed": _("Gratification rule changed"),
        "gratification.settings.changed": _("Gratification deadlines changed"),
        "gratification.recap.exported": _("Gratification recap exported"),
    }
)


def can_see_report(user: Any, report: Any) -> bool:
    """The recipient, who filed it, the UPG and the Inspektorat."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    if report.reporter_id == user.pk:
        return True
    official_id = getattr(user, "official_id", None)
    if official_id is not None and official_id == report.recipient_id:
        return True
    return has_permission(user, report.pemda, "gratification.read")
