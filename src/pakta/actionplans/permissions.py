from typing import Any

from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import ALL_ROLES, register
from pakta.core.roles import Role

register(
    "actionplans.view",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN, Role.KEPALA_OPD, Role.UPG},
    _("See action plans and their progress"),
)
register(
    "actionplans.manage",
    {Role.ADMIN, Role.INSPEKTORAT},
    _("Draft action plans and their action items"),
)
register("actionplans.verify", {Role.INSPEKTORAT}, _("Verify action items"))
# Posting progress: the owner named on the item, whatever their role ...
register("actionplans.progress", ALL_ROLES, _("Report progress on one's own action items"))
# ... and, for any item, these roles (Kepala OPD for the items of their unit).
register(
    "actionplans.progress_any",
    {Role.ADMIN, Role.INSPEKTORAT, Role.KEPALA_OPD},
    _("Report progress on any action item"),
    unit_scoped=True,
)


def can_report_progress(user: Any, item: Any) -> bool:
    """The owner named on the item, or a holder of ``actionplans.progress_any`` (a Kepala OPD
    only for the items of their unit and its sub-units)."""
    from pakta.core.permissions import has_permission, unit_scope
    from pakta.org.selectors import unit_in_scope

    if not getattr(user, "is_authenticated", False):
        return False
    if item.owner_id is not None and getattr(user, "official_id", None) == item.owner_id:
        return True
    if not has_permission(user, item.pemda, "actionplans.progress_any"):
        return False
    return unit_in_scope(item.owner_unit, unit_scope(user, item.pemda, "actionplans.progress_any"))
