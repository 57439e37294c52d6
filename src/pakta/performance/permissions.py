"""Who may do what with performance agreements (Perjanjian Kinerja).

Being the first or the second party of an agreement is checked by the services; these codes only
say which roles reach the pages at all.
"""

from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import ALL_ROLES, register
from pakta.core.roles import Role

register(
    "performance.view",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN, Role.KEPALA_OPD},
    _("See the performance agreements and achievement of the Pemda"),
    unit_scoped=True,
)
register("performance.manage", {Role.ADMIN}, _("Manage performance agreements and budget dates"))
register("performance.own", ALL_ROLES, _("Prepare, sign and report on one's own agreement"))
register(
    "performance.verify", ALL_ROLES, _("Review and verify the agreements of one's subordinates")
)
