"""The anonymous public routes: reporting (``/lapor/``), verification (``/v/``), transparency
(``/publik/``) and survey answers (``/survei/``).

One place says which routes these are and what their responses carry, so that the request
privacy middleware, the logging filter and the error pages agree.

**Referrer policy.** These pages send ``Referrer-Policy: same-origin``, not ``no-referrer``.
Under ``no-referrer`` a browser serialises the ``Origin`` of a form POST as ``null`` (Fetch
standard, "serializing a request origin"), and Django's CSRF check then refuses every form on
the page ("Origin checking failed - null does not match any trusted origins"). ``same-origin``
keeps what ``no-referrer`` was there for: no other site ever receives the address of a page
(a verification token, a Pemda's reporting page), while our own forms send their true origin
and the CSRF check stays on. The request privacy middleware removes the ``Referer`` header
before any view runs, so the address of the previous page is never stored either.
"""

from __future__ import annotations

from django.http import HttpResponseBase

PUBLIC_PREFIXES = ("/lapor/", "/v/", "/publik/", "/survei/")
PUBLIC_REFERRER_POLICY = "same-origin"

# Request headers that say who or where the visitor is; removed before any view runs.
IDENTIFYING_META = (
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_VIA",
    "REMOTE_HOST",
)
# Something that is not an address, for code that insists on reading REMOTE_ADDR.
ANONYMOUS_ADDRESS = "0.0.0.0"  # noqa: S104


def is_public_path(path: str) -> bool:
    """Whether ``path`` is one of the anonymous public routes."""
    return path.startswith(PUBLIC_PREFIXES)


def public_headers(response: HttpResponseBase) -> HttpResponseBase:
    """Never cached, never indexed, the address never sent to another site."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = PUBLIC_REFERRER_POLICY
    return response
