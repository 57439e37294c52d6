from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "pakta.actionplans"
    label = "actionplans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from pakta.actionplans import permissions, todo  # noqa: F401
        from pakta.actionplans.services import action_reminders_run
        from pakta.notifications.reminders import register_reminder

        # Daily: owners of items falling due, and escalation of late ones.
        register_reminder("actionplans.items", lambda now: action_reminders_run().reminded)
