from django.utils.translation import gettext_lazy as _

from pakta.audit.registry import register_actions
from pakta.core.permissions import register
from pakta.core.roles import Role

register("signing.manage", {Role.ADMIN}, _("Issue, import and revoke signing certificates"))
register(
    "signing.sign_letter", {Role.ADMIN, Role.PIMPINAN, Role.KEPALA_OPD}, _("Sign official letters")
)

register_actions(
    {"signing.identity.external_issued": _("Short-lived certificate issued to an external witness")}
)
