from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "pakta.signing"
    label = "signing"
    verbose_name = _("Electronic signatures")

    def ready(self) -> None:
        from pakta.signing import permissions  # noqa: F401
