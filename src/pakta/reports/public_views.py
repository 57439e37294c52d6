"""Public pages of the reporting channel: file a report, then follow it with the receipt code.

No login, no JavaScript, nothing loaded from other hosts. ``ReportPrivacyMiddleware`` has
already removed the sender's address, user agent and referrer before these views run, and adds
the headers of ``pakta.core.public.public_headers`` to every response.

The reporter's follow-up session is not a server-side session: it is one cookie, scoped to the
Pemda's reporting path, holding the report id and key encrypted under a server key, with an
expiry. The server stores nothing about who follows which report.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pakta.core.documents import document_read
from pakta.core.downloads import PDF, download_response
from pakta.core.errors import DomainError
from pakta.core.todo import pemda_kept
from pakta.org.models import Pemda
from pakta.org.selectors import pemda_directory, pemda_find_by_slug, unit_find_for, unit_list_for
from pakta.reports import crypto, receipts, selectors, services
from pakta.reports.forms import (
    IdentityDiscloseForm,
    ReceiptForm,
    ReporterMessageForm,
    ReportIntakeForm,
)
from pakta.reports.models import Report

REPORTER_COOKIE = "pakta_lapor"
REPORTER_SESSION_SECONDS = 60 * 60


def _pemda(slug: str) -> Pemda | None:
    return pemda_find_by_slug(slug)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/public/not_found.html",
        {"message": _("This Pemda is not known here.")},
        status=404,
    )


def _cookie_key() -> bytes:
    return crypto.server_key("pakta.reports.reporter-cookie")


def _set_reporter(response: HttpResponseBase, pemda: Pemda, report: Report, key: bytes) -> None:
    payload = {
        "r": report.pk,
        "k": crypto.b64(key),
        "e": int(time.time()) + REPORTER_SESSION_SECONDS,
    }
    response.set_cookie(
        REPORTER_COOKIE,
        crypto.b64(crypto.encrypt_json(_cookie_key(), payload)),
        max_age=None,
        path=reverse("report_public:intake", kwargs={"pemda": pemda.slug}),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def _reporter(request: HttpRequest, pemda: Pemda) -> tuple[Report, bytes] | None:
    raw = request.COOKIES.get(REPORTER_COOKIE)
    if not raw:
        return None
    try:
        payload = crypto.decrypt_json(_cookie_key(), crypto.unb64(raw))
    except (crypto.DecryptionError, ValueError):
        return None
    if payload.get("e", 0) < time.time():
        return None
    report = selectors.report_of_reporter(pemda=pemda, pk=payload.get("r"))
    if report is None:
        return None
    return report, crypto.unb64(payload["k"])


def _units(pemda: Pemda) -> list[tuple[int, str]]:
    units = unit_list_for(pemda=pemda, active_only=True)
    # Rows, not model instances (``Unit.depth`` is the number of ``/`` in the path, less two).
    return [
        (pk, ("· " * max(path.count("/") - 2, 0)) + name)
        for pk, path, name in units.values_list("pk", "path", "name")
    ]


def _blank_form_fields(pemda: Pemda) -> SafeString:
    """The fields of the empty report form, as HTML: the same for every visitor of the Pemda in
    one language, so kept like Beranda's counts (``core.todo.pemda_kept``: until the next audited
    change in the Pemda, such as a unit created, renamed or closed, and at most
    ``PAKTA_TODO_CACHE_SECONDS``). Writing the unit list and the choices anew cost most of this
    anonymous page (docs/scale.md, "Serving")."""

    def render_fields() -> str:
        form = ReportIntakeForm(units=_units(pemda))
        return render_to_string("reports/public/_intake_fields.html", {"form": form})

    html = pemda_kept(
        pemda=pemda,
        name=f"report-form:{translation.get_language()}",
        compute=render_fields,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine above


def _upload_too_large_error(request: HttpRequest) -> str:
    if getattr(request, "pakta_upload_too_large", False):
        return _("The files are too large to be sent at once. Send fewer or smaller files.")
    return ""


@require_http_methods(["GET"])
def pemda_index(request: HttpRequest) -> HttpResponse:
    """Choose the Pemda to report to (linked from the login page); ``?q=`` narrows the list."""
    query = request.GET.get("q", "").strip()[:100]
    pemdas = pemda_directory(search=query)
    return render(request, "reports/public/index.html", {"pemdas": pemdas, "query": query})


@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, pemda: str) -> HttpResponse:
    """The report form; after filing, the receipt code is shown once, on this response only."""
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    if request.method != "POST":
        return render(
            request,
            "reports/public/intake.html",
            {"public_pemda": found, "form_fields": _blank_form_fields(found)},
        )
    form = ReportIntakeForm(request.POST or None, request.FILES or None, units=_units(found))
    context: dict[str, Any] = {"public_pemda": found, "form": form}
    if too_large := _upload_too_large_error(request):
        form.is_valid()
        form.add_error(None, too_large)
    elif form.is_valid():
        data = form.cleaned_data
        unit = None
        if data["reported_unit"]:
            unit = unit_find_for(pemda=found, pk=data["reported_unit"])
        try:
            submission = services.report_submit(
                pemda=found,
                category=data["category"],
                what=data["what"],
                who=data["who"],
                when=data["when"],
                where=data["where"],
                reported_unit=unit,
                identity_mode=data["identity_mode"],
                identity_name=data["identity_name"],
                identity_contact=data["identity_contact"],
                uploads=data["evidence"],
                strip_metadata=data["strip_metadata"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            response = render(
                request,
                "reports/public/receipt.html",
                {
                    "public_pemda": found,
                    "report": submission.report,
                    "receipt": receipts.format_receipt(submission.receipt),
                },
            )
            _set_reporter(response, found, submission.report, submission.report_key)
            return response
    return render(request, "reports/public/intake.html", context)


@require_http_methods(["GET", "POST"])
def followup_login(request: HttpRequest, pemda: str) -> HttpResponse:
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report, key = services.reporter_login(pemda=found, code=form.cleaned_data["receipt"])
        except DomainError as error:
            form.add_error("receipt", str(error))
        else:
            response = redirect("report_public:case", pemda=found.slug)
            _set_reporter(response, found, report, key)
            return response
    return render(request, "reports/public/login.html", {"public_pemda": found, "form": form})


def _case_context(pemda: Pemda, report: Report, key: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "public_pemda": pemda,
        "report": report,
        "view": services.report_reporter_view(report=report, report_key=key),
        "message_form": ReporterMessageForm(),
        "identity_form": IdentityDiscloseForm(),
        **extra,
    }


@require_http_methods(["GET"])
def case(request: HttpRequest, pemda: str) -> HttpResponse:
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    session = _reporter(request, found)
    if session is None:
        return redirect("report_public:login", pemda=found.slug)
    report, key = session
    return render(request, "reports/public/case.html", _case_context(found, report, key))


@require_http_methods(["GET", "POST"])
def case_message(request: HttpRequest, pemda: str) -> HttpResponse:
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    if request.method == "GET":  # e.g. "open the form again" after a refused post
        return redirect("report_public:case", pemda=found.slug)
    session = _reporter(request, found)
    if session is None:
        return redirect("report_public:login", pemda=found.slug)
    report, key = session
    form = ReporterMessageForm(request.POST, request.FILES)
    error = _upload_too_large_error(request)
    if not error and form.is_valid():
        try:
            services.report_reporter_message(
                report=report,
                report_key=key,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["evidence"],
                strip_metadata=form.cleaned_data["strip_metadata"],
            )
        except DomainError as domain_error:
            error = str(domain_error)
        else:
            return render(
                request,
                "reports/public/case.html",
                _case_context(found, report, key, notice=_("Your message has been sent.")),
            )
    context = _case_context(found, report, key, message_form=form, error=error)
    return render(request, "reports/public/case.html", context, status=400)


@require_http_methods(["GET", "POST"])
def case_identity(request: HttpRequest, pemda: str) -> HttpResponse:
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    if request.method == "GET":  # e.g. "open the form again" after a refused post
        return redirect("report_public:case", pemda=found.slug)
    session = _reporter(request, found)
    if session is None:
        return redirect("report_public:login", pemda=found.slug)
    report, key = session
    form = IdentityDiscloseForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            report = services.report_identity_disclose(
                report=report,
                report_key=key,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
            )
        except DomainError as domain_error:
            error = str(domain_error)
        else:
            return render(
                request,
                "reports/public/case.html",
                _case_context(
                    found, report, key, notice=_("Your identity has been given to the handlers.")
                ),
            )
    context = _case_context(found, report, key, identity_form=form, error=error)
    return render(request, "reports/public/case.html", context, status=400)


@require_http_methods(["GET"])
def case_acknowledgement(request: HttpRequest, pemda: str) -> HttpResponse:
    """The signed acknowledgement (PDF): when the report was filed, nothing of its content.

    Never an error status: when the seal cannot be made now, the reporter's case page says so
    plainly (200) and the report and its receipt code stay as they are.
    """
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    session = _reporter(request, found)
    if session is None:
        return redirect("report_public:login", pemda=found.slug)
    report, key = session
    try:
        document = services.report_acknowledgement(report=report)
    except DomainError as error:
        return render(
            request,
            "reports/public/case.html",
            _case_context(found, report, key, error=str(error)),
        )
    return download_response(
        document_read(document.pdf), f"tanda-terima-{report.reference}.pdf", PDF
    )


@require_http_methods(["GET"])
def case_file(request: HttpRequest, pemda: str, token: str) -> HttpResponse:
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    session = _reporter(request, found)
    if session is None:
        return redirect("report_public:login", pemda=found.slug)
    report, key = session
    attachment = selectors.attachment_of_reporter(report=report, token=token)
    if attachment is None:
        return render(
            request,
            "reports/public/not_found.html",
            {"public_pemda": found, "message": _("This file is not available.")},
            status=404,
        )
    try:
        meta, data = services.reporter_attachment_read(attachment=attachment, report_key=key)
    except DomainError as error:
        return render(
            request,
            "reports/public/not_found.html",
            {"public_pemda": found, "message": str(error)},
            status=404,
        )
    return download_response(data, meta["name"], meta["content_type"])


@require_http_methods(["GET", "POST"])
def followup_logout(request: HttpRequest, pemda: str) -> HttpResponse:
    found = _pemda(pemda)
    if found is None:
        return _not_found(request)
    if request.method == "GET":  # logging out changes state: only by the form's POST
        return redirect("report_public:case", pemda=found.slug)
    response = redirect("report_public:login", pemda=found.slug)
    response.delete_cookie(
        REPORTER_COOKIE, path=reverse("report_public:intake", kwargs={"pemda": found.slug})
    )
    return response
