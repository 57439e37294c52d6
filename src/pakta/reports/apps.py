from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pakta.reports"
    label = "reports"
    verbose_name = _("Integrity reports (whistleblowing)")

    def ready(self) -> None:
        from pakta.accounts.hooks import PasswordHook, register_password_hook
        from pakta.reports import (
            keys,
            permissions,  # noqa: F401
            setup_checks,  # noqa: F401  (registers its setup checks)
        )

        # A handler's report key: unwrapped at login, rewrapped when the password changes.
        register_password_hook(
            PasswordHook(logged_in=keys.handler_session_unlock, changed=keys.handler_key_rewrap)
        )
