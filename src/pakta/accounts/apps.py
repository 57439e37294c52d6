from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pakta.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from pakta.accounts import (
            permissions,  # noqa: F401
            setup_checks,  # noqa: F401  (registers its setup checks)
            todo,  # noqa: F401  (registers its "Tugas saya" provider)
        )
