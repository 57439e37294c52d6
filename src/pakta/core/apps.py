from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pakta.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pakta.core.permissions import register

        register("core.superadmin", set(), _("Manage all Pemda (superadmin only)"))
