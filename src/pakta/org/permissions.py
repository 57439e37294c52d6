from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import ALL_ROLES, register
from pakta.core.roles import Role

register("org.view", ALL_ROLES, _("See the units, positions and officials"), unit_scoped=True)
register("org.manage", {Role.ADMIN}, _("Change units, positions and officials"))
register("org.import", {Role.ADMIN}, _("Import officials from HR exports"))
# Need-to-know (docs/permissions.md): the NIP (which encodes the birth date and sex), birth date,
# sex and e-mail of others, and the export of the register, only for the roles whose duty needs
# them; a Kepala OPD for the officials of their own unit subtree. Everyone sees their own.
register(
    "org.personal_data",
    {Role.ADMIN, Role.KEPALA_OPD},
    _("See and export officials' personal data (NIP, birth date, sex, e-mail)"),
    unit_scoped=True,
)
