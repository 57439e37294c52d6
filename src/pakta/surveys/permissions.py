from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import register
from pakta.core.roles import Role

register(
    "surveys.view",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN, Role.KEPALA_OPD, Role.UPG},
    _("See SPI results and internal survey results"),
)
register(
    "surveys.manage",
    {Role.ADMIN, Role.INSPEKTORAT},
    _("Record SPI results and run internal integrity surveys"),
)
