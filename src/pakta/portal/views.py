"""Public pages: verifying a signed document (by QR token, short code or upload) and the
transparency list of a Pemda's signed pacts.

No login, nothing fetched from other hosts, nothing recorded about the visitor: these views
write no audit event and no log line, and keep no uploaded file (it is checked in memory).
Verification pages are never stored by caches or shown to search engines: the request privacy
middleware (``ReportPrivacyMiddleware``) adds ``pakta.core.public.public_headers`` to every `/v/`
and `/publik/` response.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from pakta.core.pagecache import PageCache, render_cached
from pakta.portal import selectors
from pakta.portal.forms import ShortCodeForm
from pakta.signing import services as signing
from pakta.signing import verification
from pakta.signing.forms import MemoryOnlyUploadHandler, PdfCheckForm

TRANSPARENCY_PAGE_SIZE = 100
# Verification pages kept by each web process, keyed by the document's state
# (``verification.page_state``, one query): a change shows at once; the time bounds how long a stored file
# altered on disk goes unnoticed by the page (its check is cached for an hour besides).
VERIFY_PAGES = PageCache(ttl=600)


STATUS_LABELS = {
    "valid": gettext_lazy("Valid"),
    "revoked": gettext_lazy("Revoked"),
    "modified": gettext_lazy("Modified"),
    "untrusted": gettext_lazy("Not trusted"),
}
STATUS_EXPLANATIONS = {
    "valid": gettext_lazy(
        "The signature is intact, the document has not been changed since, and the signer's "
        "certificate was issued by the certificate authority named beside it, which this system "
        "trusts (its certificate is published below), and has not been revoked."
    ),
    "revoked": gettext_lazy(
        "The signer's certificate has been revoked: this signature is no longer valid."
    ),
    "modified": gettext_lazy(
        "The document was changed after this signature: what you see is not what was signed."
    ),
    "untrusted": gettext_lazy(
        "The signature is intact, but its certificate was not issued by an authority this "
        "system trusts."
    ),
}


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "portal/not_found.html", {"message": message}, status=404)


def _described(status: str) -> dict[str, Any]:
    return {
        "status": status,
        "label": STATUS_LABELS.get(status, status),
        "explanation": STATUS_EXPLANATIONS.get(status, ""),
    }


def _home_context(**extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"code_form": ShortCodeForm(), "upload_form": PdfCheckForm()}
    context.update(extra)
    return context


@require_http_methods(["GET"])
def verify_home(request: HttpRequest) -> HttpResponse:
    """Type the short code printed on a document, or upload a PDF to check."""
    if "code" not in request.GET:
        return render(request, "portal/verify_home.html", _home_context())
    form = ShortCodeForm(request.GET)
    if form.is_valid():
        document = verification.document_get_by_short_code(form.cleaned_data["code"])
        if document is not None:
            return redirect("portal:verify", token=document.token)
        if verification.normalise_short_code(form.cleaned_data["code"]):
            form.add_error("code", _("No document issued by this system has this code."))
        else:
            form.add_error(
                "code", _("A verification code has ten letters and digits, e.g. ABCDE-12345.")
            )
    return render(request, "portal/verify_home.html", _home_context(code_form=form))


@require_http_methods(["GET"])
def verify_document(request: HttpRequest, token: str) -> HttpResponse:
    """The public record of one signed document: who signed, when, and whether it still holds."""
    state = verification.page_state(token)
    if state is None:
        return _not_found(
            request,
            _("No document issued by this system has this address. Check the code and try again."),
        )

    def context() -> dict[str, Any]:
        document = verification.document_get_by_token(token)
        if document is None:
            raise Http404
        checks = verification.document_checks_cached(document)
        rows = [
            {**dataclasses.asdict(row), **_described(row.status)}
            for row in verification.signature_rows(document, checks)
        ]
        return {
            "document": document,
            "sha256": checks.sha256,
            "stored_intact": checks.stored_intact,
            "rows": rows,
            "all_valid": bool(rows) and all(r["status"] == "valid" for r in rows),
            "upload_form": PdfCheckForm(),
        }

    # Read by everyone who scans the QR code, changed rarely: rendered once per state.
    return render_cached(
        request,
        VERIFY_PAGES,
        state,
        "portal/verify_document.html",
        context,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Check any PDF: is it a document this system issued, unchanged, with valid signatures?"""
    # The file stays in memory: no temporary file is written (CSRF is checked just below, once
    # the upload handlers are in place).
    request.upload_handlers = [MemoryOnlyUploadHandler(request)]
    return _verify_upload(request)


@csrf_protect
def _verify_upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/verify_home.html", _home_context())
    form = PdfCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/verify_home.html", _home_context(upload_form=form))
    result = signing.document_verify(content=form.cleaned_data["file"])
    if not result.readable:
        form.add_error("file", _("The PDF document is damaged and cannot be read."))
        return render(request, "portal/verify_home.html", _home_context(upload_form=form))
    checks = [
        {
            "name": check.signer_name,
            "signing_time": check.signing_time,
            **_described(check.status),
        }
        for check in result.checks
    ]
    context: dict[str, Any] = {
        "result": result,
        "checks": checks,
        "any_modified": any(c["status"] == "modified" for c in checks),
        "upload_form": PdfCheckForm(),
    }
    if result.version is not None and result.document is not None:
        document = result.document
        context.update(
            document=document,
            signers=verification.signatures_in_version(result.version),
            is_latest=document.pdf_id == result.version.pdf_id,
        )
    return render(request, "portal/verify_result.html", context)


@require_http_methods(["GET"])
def transparency(request: HttpRequest, pemda: str) -> HttpResponse:
    """The signed pacts of a Pemda's leaders and OPD heads this year, each with its record."""
    found = selectors.pemda_get_by_slug(pemda)
    if found is None:
        return _not_found(request, _("This Pemda is not known here."))
    year = timezone.localdate().year
    page = Paginator(selectors.public_pacts_for(pemda=found, year=year), TRANSPARENCY_PAGE_SIZE)
    return render(
        request,
        "portal/transparency.html",
        {
            "public_pemda": found,
            "year": year,
            "page": page.get_page(request.GET.get("page")),
        },
    )
