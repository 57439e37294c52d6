from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import ALL_ROLES, register
from pakta.core.roles import Role

register("org.view", ALL_ROLES, _("See the units, positions and officials"), unit_scoped=True)
register("org.manage", {Role.ADMIN}, _("Change units, positions and officials"))
register("org.import", {Role.ADMIN}, _("Import officials from HR exports"))
