from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pakta.core.permissions import has_permission
from pakta.core.tenancy import tenant_model

INBOX_KEY = "pakta_inbox_pemda"


def pakta(request: HttpRequest) -> dict[str, Any]:
    pemda = getattr(request, "pemda", None)
    perms: dict[str, bool] = {}
    if pemda is not None:
        user = request.user
        perms = {
            "manage": has_permission(user, pemda, "org.manage"),
            "personal_data": has_permission(user, pemda, "org.personal_data"),
            "import": has_permission(user, pemda, "org.import"),
            "audit": has_permission(user, pemda, "audit.view"),
            "pacts_view": has_permission(user, pemda, "pacts.view"),
            "signing_manage": has_permission(user, pemda, "signing.manage"),
            "surveys_view": has_permission(user, pemda, "surveys.view"),
            "actionplans_view": has_permission(user, pemda, "actionplans.view"),
            "procurement_view": has_permission(user, pemda, "procurement.view"),
            "reports_handle": has_permission(user, pemda, "reports.handle"),
            "reports_stats": has_permission(user, pemda, "reports.stats"),
        }
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "perms_in_pemda": perms,
        "inbox_pemda": _inbox_pemda(request),
    }


def _inbox_pemda(request: HttpRequest) -> str:
    """The slug of the Pemda whose inbox holds the user's own pacts ("My signatures").

    An official belongs to one Pemda for good: which one is kept in the session, and on that
    Pemda's pages its slug is the page's own (no query there)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "official_id", None):
        return ""
    session = getattr(request, "session", None)
    pemda = getattr(request, "pemda", None)
    kept = session.get(INBOX_KEY) if session is not None else None
    if pemda is not None and kept == [user.official_id, pemda.pk]:
        return str(pemda.slug)
    found = (
        tenant_model()
        .objects.filter(official__pk=user.official_id)
        .values_list("pk", "slug")
        .first()
    )
    if not found:
        return ""
    if session is not None and kept != [user.official_id, found[0]]:
        session[INBOX_KEY] = [user.official_id, found[0]]
    return str(found[1])
