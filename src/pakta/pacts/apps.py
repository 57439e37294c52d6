from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pakta.pacts"
    label = "pacts"
    verbose_name = _("Integrity pacts")

    def ready(self) -> None:
        from pakta.org.hooks import AssignmentHook, register_assignment_hook
        from pakta.pacts import (
            permissions,  # noqa: F401
            services,
            setup_checks,  # noqa: F401  (registers its setup checks)
        )

        # A new position brings its pact; undoing the import that made it withdraws it.
        register_assignment_hook(
            AssignmentHook(
                started=services.pact_create_for_assignment,
                undone=services.pact_withdraw_for_assignment,
                dependents=services.pacts_of_assignments,
            )
        )
