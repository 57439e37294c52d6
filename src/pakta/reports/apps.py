from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pakta.reports"
    label = "reports"
    verbose_name = _("Integrity reports (whistleblowing)")

    def ready(self) -> None:
        from pakta.reports import (
            permissions,  # noqa: F401
            setup_checks,  # noqa: F401  (registers its setup checks)
            todo,  # noqa: F401  (registers what waits for a handler: "Tugas saya")
        )
