from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "pakta.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from pakta.notifications.reminders import register_reminder
        from pakta.notifications.services import notification_digests_send

        # The summary e-mails of bursts whose window closed (the worker sends them on time;
        # the daily run catches any left when the task backend cannot defer).
        register_reminder("notifications.digests", lambda now: notification_digests_send(now=now))
