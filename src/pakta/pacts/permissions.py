from django.utils.translation import gettext_lazy as _

from pakta.audit.registry import register_actions
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

register_actions(
    {
        "pacts.record.created": _("Ceremony record made"),
        "pacts.record.link_sent": _("Signing link sent to an external witness"),
        "pacts.record.code_sent": _("One-time code sent to an external witness"),
        "pacts.record.witness_signed": _("External witness signed the ceremony record"),
    }
)

register_actions(
    {
        "pacts.kiosk.opened": _("Kiosk mode opened for a signing event"),
        "pacts.kiosk.closed": _("Kiosk mode ended"),
        "pacts.kiosk.pins_issued": _("One-time kiosk PINs issued"),
    }
)
