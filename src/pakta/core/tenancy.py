"""The tenant model, named by a setting as Django names its user model.

``core`` is infrastructure and imports no domain app. Its tenancy plumbing (the permission
mixin, the API permission, the time-zone middleware) needs the Pemda model, which the ``org``
app owns; like ``django.contrib.auth.get_user_model`` it looks the model up through the app
registry by the label in ``settings.PAKTA_TENANT_MODEL`` (``"org.Pemda"``).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings


def tenant_model() -> Any:
    """The Pemda model class."""
    return apps.get_model(getattr(settings, "PAKTA_TENANT_MODEL", "org.Pemda"))
