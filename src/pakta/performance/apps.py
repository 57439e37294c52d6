from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "pakta.performance"
    label = "performance"
    verbose_name = _("Perjanjian Kinerja")

    def ready(self) -> None:
        from pakta.notifications.reminders import register_reminder
        from pakta.performance import permissions, todo  # noqa: F401
        from pakta.performance.services.reminders import agreements_remind

        # Daily: first parties of overdue agreements.
        register_reminder(
            "performance.agreements", lambda now: agreements_remind(acting_user=None, pemda=None)
        )
