from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "pakta.discipline"
    label = "discipline"
    verbose_name = _("Discipline (PP 94/2021)")

    def ready(self) -> None:
        from pakta.discipline import permissions, reminders  # noqa: F401
