from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "pakta.performance"
    label = "performance"
    verbose_name = _("Perjanjian Kinerja")

    def ready(self) -> None:
        from pakta.performance import permissions, todo  # noqa: F401
