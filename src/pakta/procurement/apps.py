from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "pakta.procurement"
    label = "procurement"
    verbose_name = _("Procurement red flags")

    def ready(self) -> None:
        from pakta.procurement import permissions  # noqa: F401
