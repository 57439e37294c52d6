from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "pakta.org"
    label = "org"
    verbose_name = _("Organisations and officials")

    def ready(self) -> None:
        from pakta.org import (
            permissions,  # noqa: F401  (registers the app's permissions)
            setup_checks,  # noqa: F401  (registers its setup checks)
        )
