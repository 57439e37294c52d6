from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConflictsConfig(AppConfig):
    name = "pakta.conflicts"
    label = "conflicts"
    verbose_name = _("Conflicts of interest")

    def ready(self) -> None:
        from pakta.conflicts import permissions, todo  # noqa: F401
