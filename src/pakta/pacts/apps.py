from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pakta.pacts"
    label = "pacts"
    verbose_name = _("Integrity pacts")

    def ready(self) -> None:
        from pakta.pacts import (
            permissions,  # noqa: F401
            setup_checks,  # noqa: F401  (registers its setup checks)
            todo,  # noqa: F401  (registers what waits for a user: "Tugas saya")
        )
