from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations, the top layer: demo data, backup and restore, deployment checks, the
    scheduler. It may import every app; no app imports it."""

    name = "pakta.ops"
    label = "ops"
    verbose_name = _("Operations")
