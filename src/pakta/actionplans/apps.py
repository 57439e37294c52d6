from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "pakta.actionplans"
    label = "actionplans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from pakta.actionplans import permissions, todo  # noqa: F401
