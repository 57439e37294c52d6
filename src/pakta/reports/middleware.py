"""Privacy of the public routes (``/lapor/``, ``/v/``, ``/publik/``, ``/survei/``), placed first
in MIDDLEWARE.

Before anything else sees the request, it forgets who sent it: the client address, the user
agent, the referrer and forwarding headers are removed from ``request.META``, so that no later
code (views, the audit log, django-axes, error logging) can store or log them. The staff
session cookie is dropped too, so that a logged-in official who reports (or answers the
survey) is anonymous like anyone else and nothing links their account to what they send.

Every response of these routes carries the headers of ``pakta.core.public.public_headers``
(``no-store``, ``noindex``, ``Referrer-Policy: same-origin``; the module says why not
``no-referrer``). Uploads to the reporting routes and to the handlers' case pages stay in memory
(no temporary file with plaintext on disk).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from pakta.core.public import ANONYMOUS_ADDRESS, IDENTIFYING_META, is_public_path, public_headers
from pakta.reports.attachments import MemoryOnlyUploadHandler

PUBLIC_PREFIX = "/lapor/"


def is_public_report_path(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIX)


def is_case_path(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 3 and parts[1] == "p" and parts[3] == "reports"


class ReportPrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        public = is_public_path(path)
        if public:
            for name in IDENTIFYING_META:
                request.META.pop(name, None)
            request.META["REMOTE_ADDR"] = ANONYMOUS_ADDRESS
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        if is_public_report_path(path) or is_case_path(path):
            request.upload_handlers = [MemoryOnlyUploadHandler(request)]
        response = self.get_response(request)
        if public:
            public_headers(response)
            # Never let a public page set or replace the staff session cookie.
            response.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        elif is_case_path(path):
            response["Cache-Control"] = "no-store"
        return response
