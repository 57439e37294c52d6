"""Every audit action code with its label. ``audit_record`` refuses codes not listed here."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "org.pemda.created": _("Pemda created"),
    "org.pemda.updated": _("Pemda updated"),
    "org.unit.created": _("Unit created"),
    "org.unit.updated": _("Unit updated"),
    "org.position.created": _("Position created"),
    "org.position.updated": _("Position updated"),
    "org.official.created": _("Official created"),
    "org.official.updated": _("Official updated"),
    "org.assignment.started": _("Position assignment started"),
    "org.assignment.ended": _("Position assignment ended"),
    "org.import.uploaded": _("HR import uploaded"),
    "org.import.applied": _("HR import applied"),
    "org.import.rejected": _("HR import rejected"),
    "accounts.user.created": _("User created"),
    "accounts.user.updated": _("User updated"),
    "accounts.membership.granted": _("Role granted"),
    "accounts.membership.revoked": _("Role revoked"),
    "accounts.user.logged_in": _("User logged in"),
    "accounts.user.login_failed": _("Failed login"),
    "accounts.password.changed": _("Password changed"),
    "accounts.totp.enrolled": _("Two-factor authentication enrolled"),
    "accounts.token.created": _("API token created"),
    "core.backup.restored": _("Backup restored"),
    "pacts.template.created": _("Pact template version created"),
    "pacts.template.updated": _("Pact template changed"),
    "pacts.template.published": _("Pact template published"),
    "pacts.event.created": _("Signing event created"),
    "pacts.event.witness_added": _("Witness added to a signing event"),
    "pacts.event.opened": _("Signing event opened"),
    "pacts.event.closed": _("Signing event closed"),
    "pacts.pact.created": _("Integrity pact created"),
    "pacts.pact.signed": _("Integrity pact signed"),
    "pacts.pact.excused": _("Official excused from signing"),
    "signing.ca.created": _("Certificate authority created"),
    "signing.identity.issued": _("Signing certificate issued"),
    "signing.identity.imported": _("Signing certificate imported"),
    "signing.identity.revoked": _("Signing certificate revoked"),
    "signing.document.created": _("Document prepared for signing"),
    "signing.document.completed": _("Document completed"),
    "signing.signature.applied": _("Document signed"),
    "signing.signature.pending": _("Signature waiting for the timestamp authority"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))
