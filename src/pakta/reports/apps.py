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
            todo,  # noqa: F401  (registers what waits for a handler: "Tugas saya")
        )

        # A handler's report key: unwrapped at login, rewrapped when the password changes.
        register_password_hook(
            PasswordHook(logged_in=keys.handler_session_unlock, changed=keys.handler_key_rewrap)
        )
        from pakta.notifications.reminders import register_reminder
        from pakta.reports.services.deadline_alerts import report_deadline_alerts_send

        # Daily: handlers of cases whose stage deadline is near or past.
        register_reminder(
            "reports.deadlines", lambda now: report_deadline_alerts_send(now=now, within_days=1)
        )
