from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import ALL_ROLES, register
from pakta.core.roles import Role

register(
    "pacts.view",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN, Role.KEPALA_OPD, Role.UPG},
    _("See pacts, events and compliance"),
    unit_scoped=True,
)
register("pacts.manage", {Role.ADMIN}, _("Manage pact templates and signing events"))
register("pacts.sign", ALL_ROLES, _("Sign one's own pacts"))
