from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GratificationConfig(AppConfig):
    name = "pakta.gratification"
    label = "gratification"
    verbose_name = _("Gratification control")

    def ready(self) -> None:
        from pakta.gratification import permissions, tasks  # noqa: F401
