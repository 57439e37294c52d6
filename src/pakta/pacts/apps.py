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
            todo,  # noqa: F401  (registers what waits for a user: "Tugas saya")
        )

        # A new position brings its pact; undoing the import that made it withdraws it.
        register_assignment_hook(
            AssignmentHook(
                started=services.pact_create_for_assignment,
                undone=services.pact_withdraw_for_assignment,
                dependents=services.pacts_of_assignments,
            )
        )
        from pakta.signing.hooks import DocumentKindHook, register_document_kind
        from pakta.signing.models import SignedDocument

        # The signing worker renders a pact's PDF and, once signed, marks the pact signed.
        register_document_kind(
            SignedDocument.Kind.PACT,
            DocumentKindHook(
                render=services.pact_document_render, signed=services.pact_signature_applied
            ),
        )
        from pakta.notifications.reminders import register_reminder
        from pakta.pacts.reminders import pacts_remind

        # Daily: officials whose pact is overdue (the scheduler's send_reminders runs it).
        register_reminder(
            "pacts.overdue",
            lambda now: pacts_remind(acting_user=None, pemda=None, overdue_only=True).reminded,
        )
