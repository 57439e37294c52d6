from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import register
from pakta.core.roles import Role

register("audit.view", {Role.ADMIN, Role.INSPEKTORAT}, _("Read the audit trail"))
