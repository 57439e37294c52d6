from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pakta.core.permissions import has_permission


def pakta(request: HttpRequest) -> dict[str, Any]:
    pemda = getattr(request, "pemda", None)
    perms: dict[str, bool] = {}
    if pemda is not None:
        user = request.user
        perms = {
            "manage": has_permission(user, pemda, "org.manage"),
            "import": has_permission(user, pemda, "org.import"),
            "audit": has_permission(user, pemda, "audit.view"),
        }
    return {"DEMO_MODE": settings.DEMO_MODE, "perms_in_pemda": perms}
