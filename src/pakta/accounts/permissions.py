from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import register
from pakta.core.roles import Role

register("accounts.manage", {Role.ADMIN}, _("Manage users and roles"))
register(
    "accounts.approve_roles",
    {Role.INSPEKTORAT},
    _("Approve or refuse requests for roles that read integrity reports"),
)
