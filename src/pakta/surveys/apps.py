from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "pakta.surveys"
    label = "surveys"
    verbose_name = _("Integrity surveys")

    def ready(self) -> None:
        from pakta.surveys import permissions  # noqa: F401
