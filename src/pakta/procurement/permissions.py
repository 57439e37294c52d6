from django.utils.translation import gettext_lazy as _

from pakta.audit.registry import register_actions
from pakta.core.permissions import register
from pakta.core.roles import Role

register(
    "procurement.view",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN},
    _("See procurement packages, red flags and risk scores"),
)
register(
    "procurement.manage",
    {Role.ADMIN, Role.INSPEKTORAT},
    _("Import procurement data and enter packages"),
)
register(
    "procurement.examine",
    {Role.INSPEKTORAT},
    _("Open and conduct cases on procurement packages"),
)

register_actions(
    {
        "procurement.import": _("Procurement data imported"),
        "procurement.package_create": _("Procurement package entered"),
        "procurement.indicators": _("Red flags computed"),
        "procurement.case_open": _("Procurement case opened"),
        "procurement.case_entry": _("Procurement case entry added"),
        "procurement.case_close": _("Procurement case closed"),
    }
)
