"""After a signing event: compliance report and sheet, the booklet with its progress, reminders.

Thin views: a permission, a selector or one service, a response. Kepala OPD (``pacts.view`` is
unit-scoped) see only their units' pacts; the booklet binds the whole event, so they may follow
its progress but not download it.
"""

from __future__ import annotations

import html
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from pakta.core.documents import document_read
from pakta.core.downloads import download_response, streaming_download
from pakta.core.errors import DomainError
from pakta.core.mixins import PemdaPermissionMixin, SuperadminRequiredMixin
from pakta.core.permissions import has_permission
from pakta.core.table_export import table_response
from pakta.org.selectors import unit_scope_q
from pakta.pacts.booklet import booklet_job_get_for, booklet_job_list_for, booklet_job_start
from pakta.pacts.compliance import compliance_sheet_stream, unsigned_pacts
from pakta.pacts.models import BookletJob, Pact, SigningEvent
from pakta.pacts.reminders import ReminderRun, pacts_remind
from pakta.pacts.selectors import (
    compliance_by_pemda,
    compliance_by_unit,
    compliance_total,
    event_get_for,
    pact_list_for,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(raw: str | None) -> int:
    if raw and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _reminder_message(request: HttpRequest, run: ReminderRun) -> None:
    if run.reminded:
        messages.success(
            request,
            ngettext(
                "%(count)d official has been reminded (%(emails)d by e-mail).",
                "%(count)d officials have been reminded (%(emails)d by e-mail).",
                run.reminded,
            )
            % {"count": run.reminded, "emails": run.emailed},
        )
    else:
        messages.info(request, _("Nobody needed a reminder now."))
    if run.already_today:
        messages.info(
            request,
            ngettext(
                "%(count)d official was already reminded today and was not reminded again.",
                "%(count)d officials were already reminded today and were not reminded again.",
                run.already_today,
            )
            % {"count": run.already_today},
        )
    if run.no_account:
        messages.warning(
            request,
            ngettext(
                "%(count)d official has no user account and could not be reminded.",
                "%(count)d officials have no user account and could not be reminded.",
                run.no_account,
            )
            % {"count": run.no_account},
        )


class EventReportView(PemdaPermissionMixin, TemplateView):
    """Who has signed, who has not and why; the booklet; reminders; the compliance sheet."""

    permission = "pacts.view"
    model = SigningEvent
    template_name = "pacts/event_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = event_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        pacts = pact_list_for(pemda=self.pemda, scope=self.unit_scope, event=event)
        by_status = dict(
            pacts.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        context.update(
            event=event,
            counts={
                "signed": by_status.get(Pact.Status.SIGNED, 0),
                "pending": by_status.get(Pact.Status.PENDING, 0),
                "excused": by_status.get(Pact.Status.EXCUSED, 0),
            },
            unsigned=unsigned_pacts(
                pemda=self.pemda, year=event.year, event=event, scope=self.unit_scope
            ),
            today=timezone.localdate(),
            jobs=booklet_job_list_for(pemda=self.pemda, event=event)[:5],
            can_manage=has_permission(self.request.user, self.pemda, "pacts.manage"),
        )
        return context


class EventComplianceExportView(PemdaPermissionMixin, View):
    permission = "pacts.view"
    model = SigningEvent

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponseBase:
        event = event_get_for(pemda=self.pemda, pk=pk)
        content = compliance_sheet_stream(
            pemda=self.pemda, year=event.year, event=event, scope=self.unit_scope
        )
        return streaming_download(content, f"kepatuhan-pakta-acara-{event.pk}.xlsx", XLSX)


class EventRemindView(PemdaPermissionMixin, View):
    """Remind every participant of the event who has not signed (once a day at most)."""

    permission = "pacts.manage"
    model = SigningEvent

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event = event_get_for(pemda=self.pemda, pk=pk)
        _reminder_message(request, pacts_remind(event=event, acting_user=request.user))
        return redirect("pactreports:event_report", pemda=self.pemda.slug, pk=event.pk)


class BookletStartView(PemdaPermissionMixin, View):
    permission = "pacts.manage"
    model = SigningEvent

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event = event_get_for(pemda=self.pemda, pk=pk)
        try:
            job = booklet_job_start(event=event, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("pactreports:event_report", pemda=self.pemda.slug, pk=event.pk)
        return redirect(job.get_absolute_url())


class BookletDetailView(PemdaPermissionMixin, TemplateView):
    """The booklet's progress (polled by HTMX every second until it is finished)."""

    permission = "pacts.view"
    model = BookletJob
    template_name = "pacts/booklet_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["job"] = booklet_job_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        context["can_download"] = self.unit_scope is None
        return context

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["pacts/_booklet_progress.html"]
        return [self.template_name]


class BookletDownloadView(PemdaPermissionMixin, View):
    permission = "pacts.view"
    model = BookletJob

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        job = booklet_job_get_for(pemda=self.pemda, pk=pk)
        if self.unit_scope is not None:
            messages.error(
                request,
                _("The booklet binds the pacts of every unit; ask an administrator for it."),
            )
            return redirect(job.get_absolute_url())
        if job.status != BookletJob.Status.DONE or job.document is None:
            messages.info(request, _("The booklet is not ready yet."))
            return redirect(job.get_absolute_url())
        return download_response(
            document_read(job.document), f"buku-pakta-{job.event_id}.pdf", "application/pdf"
        )


class ComplianceReportView(PemdaPermissionMixin, TemplateView):
    """A Pemda's year: figures per unit (from the counters); who has not signed loads after."""

    permission = "pacts.view"
    template_name = "pacts/compliance_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year(self.request.GET.get("year"))
        scope = self.unit_scope
        counters = compliance_by_unit(pemda=self.pemda, year=year).filter(
            unit_scope_q(scope, "unit__")
        )
        if scope is not None:
            totals = {
                "signed": sum(c.signed for c in counters),
                "pending": sum(c.pending for c in counters),
                "excused": sum(c.excused for c in counters),
            }
        else:
            totals = compliance_total(pemda=self.pemda, year=year)
        context.update(
            year=year,
            counters=counters,
            totals=totals,
            can_manage=has_permission(self.request.user, self.pemda, "pacts.manage"),
        )
        return context


class ComplianceUnsignedView(PemdaPermissionMixin, TemplateView):
    """Who has not signed in a Pemda's year (the first 500), loaded into the compliance page.

    A separate request, so that the figures show at once even in a Pemda with thousands of
    pending pacts; without JavaScript the link opens it as a page of its own.
    """

    permission = "pacts.view"
    template_name = "pacts/compliance_unsigned.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year(self.request.GET.get("year"))
        context.update(
            year=year,
            # The first 500 read from the database, not all of them.
            unsigned=unsigned_pacts(pemda=self.pemda, year=year, scope=self.unit_scope, limit=500),
            today=timezone.localdate(),
        )
        return context

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["pacts/_compliance_unsigned.html"]
        return [self.template_name]


class ComplianceExportView(PemdaPermissionMixin, View):
    permission = "pacts.view"

    def get(self, request: HttpRequest, pemda: str) -> HttpResponseBase:
        year = _year(request.GET.get("year"))
        content = compliance_sheet_stream(pemda=self.pemda, year=year, scope=self.unit_scope)
        return streaming_download(content, f"kepatuhan-pakta-{self.pemda.slug}-{year}.xlsx", XLSX)


class ComplianceRemindView(PemdaPermissionMixin, View):
    """Remind every official of the Pemda with a pending pact of the year."""

    permission = "pacts.manage"

    def post(self, request: HttpRequest, pemda: str) -> HttpResponse:
        year = _year(request.POST.get("year"))
        _reminder_message(
            request, pacts_remind(pemda=self.pemda, year=year, acting_user=request.user)
        )
        url = reverse("pactreports:compliance", kwargs={"pemda": self.pemda.slug})
        return redirect(f"{url}?year={year}")


_SLUG = "pemda-slug"


class NationalComplianceView(SuperadminRequiredMixin, TemplateView):
    """Signed, pending and excused pacts of every Pemda for a year (from the counters)."""

    permission = "core.superadmin"
    template_name = "pacts/national_compliance.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        if not 2000 <= year <= 2100:
            raise Http404
        rows = list(compliance_by_pemda(year=year))
        totals = {key: sum(row[key] for row in rows) for key in ("signed", "pending", "excused")}
        # One reverse() for the 546 links: a slug needs no quoting, so it can be put in place.
        link = reverse("pactreports:compliance", kwargs={"pemda": _SLUG}) + f"?year={year}"
        for row in [*rows, totals]:
            row["total"] = row["signed"] + row["pending"] + row["excused"]
            row["percent"] = round(100 * row["signed"] / row["total"]) if row["total"] else 0
        # 546 rows of eight cells, built here: the names and links escaped as the template
        # engine would (html.escape is what django.utils.html.escape calls), the numbers are
        # integers. Several times faster than the engine resolving some 4,000 variables.
        row_html = (
            '<tr data-pemda="{:d}"><td><a href="{}">{}</a></td><td class="signed">{:d}</td>'
            '<td class="pending">{:d}</td><td class="excused">{:d}</td><td>{:d}</td><td>{:d}</td>'
            "</tr>"
        ).format
        table = mark_safe(  # noqa: S308  (every string part is escaped)
            "\n".join(
                row_html(
                    row["pemda_id"],
                    html.escape(link.replace(_SLUG, row["pemda__slug"], 1)),
                    html.escape(row["pemda__name"]),
                    row["signed"],
                    row["pending"],
                    row["excused"],
                    row["total"],
                    row["percent"],
                )
                for row in rows
            )
        )
        context.update(year=year, rows=rows, table=table, totals=totals)
        return context


class NationalComplianceExportView(SuperadminRequiredMixin, View):
    """The national compliance table as XLSX or PDF, as the page shows it."""

    permission = "core.superadmin"

    def get(self, request: HttpRequest, year: int, fmt: str) -> HttpResponse:
        if not 2000 <= year <= 2100:
            raise Http404
        rows = []
        for row in compliance_by_pemda(year=year):
            total = row["signed"] + row["pending"] + row["excused"]
            percent = round(100 * row["signed"] / total) if total else 0
            rows.append(
                [row["pemda__name"], row["signed"], row["pending"], row["excused"], total, percent]
            )
        headers = [
            _("Pemda"),
            _("Signed"),
            _("Not yet signed"),
            _("Excused"),
            _("Total"),
            _("Signed (%)"),
        ]
        return table_response(
            fmt,
            title=_("Integrity pact compliance %(year)s: all Pemda") % {"year": year},
            filename=f"kepatuhan-pakta-nasional-{year}",
            headers=headers,
            rows=rows,
        )
