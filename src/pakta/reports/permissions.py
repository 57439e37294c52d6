from django.utils.translation import gettext_lazy as _

from pakta.core.permissions import register
from pakta.core.roles import Role

# Handling reports is the Inspektorat's (APIP) task; reading a report's content also needs a key
# the report was sealed to, so this permission alone reveals metadata, never content.
register("reports.handle", {Role.INSPEKTORAT}, _("Handle integrity reports (whistleblowing)"))
register(
    "reports.stats",
    {Role.ADMIN, Role.INSPEKTORAT, Role.PIMPINAN},
    _("See integrity report statistics"),
)
register("reports.escrow", {Role.ADMIN}, _("Manage the Pemda's report escrow key"))
