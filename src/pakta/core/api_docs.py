"""The interactive API docs page (Swagger UI), served under the strict Content-Security-Policy.

Kept apart from ``pakta.core.api``: DRF imports that module while reading its settings, and
drf-spectacular's views read the same settings, so importing them there would be circular.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI whose start script comes from a URL (no inline script) and whose page has no
    inline style, so neither 'unsafe-inline' nor a nonce is needed."""

    template_name = "core/api_docs.html"
