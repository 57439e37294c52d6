"""Pages for Pemda, units, positions, officials and HR imports. Thin: a permission, a form, a service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from pakta.core.downloads import download_response, streaming_download
from pakta.core.errors import DomainError
from pakta.core.exports import rows_to_csv, rows_to_xlsx, stream_csv, stream_xlsx
from pakta.core.forms import ServiceFormView
from pakta.core.kept import kept_html
from pakta.core.mixins import PemdaPermissionMixin, SuperadminRequiredMixin
from pakta.org import imports, selectors, services
from pakta.org.forms import (
    AssignmentForm,
    ImportConfirmForm,
    ImportMappingForm,
    ImportSheetForm,
    ImportUploadForm,
    OfficialEditForm,
    OfficialFilterForm,
    OfficialForm,
    PemdaForm,
    PositionForm,
    UnitForm,
)
from pakta.org.imports import TEMPLATE_EXAMPLE, TEMPLATE_HEADERS
from pakta.org.models import ImportJob, Official, Pemda, Position, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Pemda (superadmin) -----------------------------------------------------------------------


class PemdaListView(SuperadminRequiredMixin, ListView):
    template_name = "org/pemda_list.html"
    context_object_name = "pemdas"

    def get_queryset(self) -> Any:
        return selectors.pemda_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["year"] = timezone.localdate().year  # the national pages of the current year
        return context


class PemdaCreateView(SuperadminRequiredMixin, ServiceFormView):
    form_class = PemdaForm
    title = _("New Pemda")
    success_message = _("The Pemda has been created.")

    def perform(self, form: PemdaForm) -> Pemda:
        return services.pemda_create(
            acting_user=self.request.user,
            logo=form.cleaned_data.pop("logo_file"),
            **form.cleaned_data,
        )


class PemdaUpdateView(SuperadminRequiredMixin, ServiceFormView):
    form_class = PemdaForm
    title = _("Edit Pemda")
    success_message = _("The Pemda has been saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        self.object = selectors.pemda_get_by_slug(self.kwargs["pemda"])
        kwargs["instance"] = selectors.pemda_get_by_slug(self.kwargs["pemda"])  # the form's copy
        return kwargs

    def perform(self, form: PemdaForm) -> Pemda:
        data = dict(form.cleaned_data)
        logo = data.pop("logo_file")
        return services.pemda_update(
            pemda=self.object, acting_user=self.request.user, logo=logo, **data
        )


# --- Pemda home -------------------------------------------------------------------------------


class PemdaHomeView(PemdaPermissionMixin, TemplateView):
    permission = "org.view"
    template_name = "org/pemda_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from pakta.core.permissions import has_permission, roles_of

        context = super().get_context_data(**kwargs)
        from pakta.core.todo import pemda_kept

        context["counts"] = pemda_kept(
            pemda=self.pemda,
            name="counts",
            compute=lambda: selectors.pemda_counts(pemda=self.pemda),
        )
        context["roles"] = sorted(roles_of(self.request.user, self.pemda))
        official = getattr(self.request.user, "official", None)
        if official and official.pemda_id == self.pemda.pk:
            official.pemda = self.pemda  # its link needs the slug: not read again
        else:
            official = None
        context["own_official"] = official
        # Listed to the Pemda's managers only (the page's "Administration").
        context["recent_imports"] = (
            selectors.import_job_recent_for(pemda=self.pemda)
            if has_permission(self.request.user, self.pemda, "org.manage")
            else []
        )
        from pakta.core.todo import todo_list_cached

        today = timezone.localdate()

        def day(value: Any) -> Any:
            return timezone.localdate(value) if isinstance(value, dt.datetime) else value

        context["todos"] = [
            {
                "todo": todo,
                "due": day(todo.due),
                "since": day(todo.since),
                "overdue": bool(todo.due and day(todo.due) < today),
            }
            for todo in todo_list_cached(user=self.request.user, pemda=self.pemda)
        ]
        return context


# --- Units ------------------------------------------------------------------------------------


class UnitListView(PemdaPermissionMixin, ListView):
    permission = "org.view"
    template_name = "org/unit_list.html"
    context_object_name = "units"
    paginate_by = 100

    def get_queryset(self) -> Any:
        return selectors.unit_list_for(
            pemda=self.pemda, scope=self.unit_scope, search=self.request.GET.get("q", "")
        )


class UnitDetailView(PemdaPermissionMixin, TemplateView):
    permission = "org.view"
    template_name = "org/unit_detail.html"
    model = Unit

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = selectors.unit_get_for(pemda=self.pemda, pk=self.kwargs["pk"], scope=self.unit_scope)
        context["unit"] = unit
        context["children"] = unit.children.order_by("name")
        context["positions"] = selectors.position_list_for(pemda=self.pemda, unit=unit)
        return context


class UnitCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "org.manage"
    form_class = UnitForm
    title = _("New unit")
    success_message = _("The unit has been created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "pemda": self.pemda}

    def perform(self, form: UnitForm) -> Unit:
        return services.unit_create(
            pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
        )


class UnitUpdateView(PemdaPermissionMixin, ServiceFormView):
    permission = "org.manage"
    form_class = UnitForm
    title = _("Edit unit")
    success_message = _("The unit has been saved.")
    model = Unit

    def get_form_kwargs(self) -> dict[str, Any]:
        self.object = selectors.unit_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        kwargs = {**super().get_form_kwargs(), "pemda": self.pemda}
        kwargs["initial"] = {
            "name": self.object.name,
            "kind": self.object.kind,
            "code": self.object.code,
            "parent": self.object.parent,
        }
        return kwargs

    def perform(self, form: UnitForm) -> Unit:
        return services.unit_update(
            unit=self.object, acting_user=self.request.user, **form.cleaned_data
        )


# --- Positions --------------------------------------------------------------------------------


class PositionListView(PemdaPermissionMixin, ListView):
    permission = "org.view"
    template_name = "org/position_list.html"
    context_object_name = "positions"
    paginate_by = 100

    def get_queryset(self) -> Any:
        return selectors.position_list_for(pemda=self.pemda, scope=self.unit_scope)


class PositionCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "org.manage"
    form_class = PositionForm
    title = _("New position")
    success_message = _("The position has been created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "pemda": self.pemda}

    def perform(self, form: PositionForm) -> Position:
        services.position_create(
            pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
        )
        return form.cleaned_data["unit"]


class PositionUpdateView(PemdaPermissionMixin, ServiceFormView):
    permission = "org.manage"
    form_class = PositionForm
    title = _("Edit position")
    success_message = _("The position has been saved.")
    model = Position

    def get_form_kwargs(self) -> dict[str, Any]:
        self.object = selectors.position_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        kwargs = {**super().get_form_kwargs(), "pemda": self.pemda}
        kwargs["initial"] = {
            "title": self.object.title,
            "level": self.object.level,
            "unit": self.object.unit,
            "is_unit_head": self.object.is_unit_head,
        }
        return kwargs

    def perform(self, form: PositionForm) -> Any:
        position = services.position_update(
            position=self.object, acting_user=self.request.user, **form.cleaned_data
        )
        return position.unit


# --- Officials --------------------------------------------------------------------------------


# A stand-in primary key, replaced in a reversed address by each row's own.
_PK = 987654321987


def _official_rows(
    rows: list[selectors.OfficialRow], personal_ids: set[int], link: str
) -> SafeString:
    """The rows of the officials table, written in Python (one template pass per cell cost more
    than the rest of the page): the NIP only where the user may see personal data."""
    parts = []
    for row in rows:
        nip = f"<code>{escape(row.nip)}</code>" if row.pk in personal_ids else "—"
        title = escape(row.position) if row.position else "—"
        unit = escape(row.unit) if row.unit else "—"
        url = escape(link.replace(str(_PK), str(row.pk)))
        parts.append(
            f'<tr>\n  <td>{nip}</td><td><a href="{url}">{escape(row.full_name)}</a></td>\n'
            f"  <td>{title}</td><td>{unit}</td>\n  <td>{escape(row.golongan)}</td></tr>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class OfficialListView(PemdaPermissionMixin, TemplateView):
    permission = "org.view"
    template_name = "org/official_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        units = selectors.unit_list_for(pemda=self.pemda, scope=self.unit_scope)
        form = OfficialFilterForm(self.request.GET or None, units=units, pemda=self.pemda)
        filters: dict[str, Any] = {}
        if form.is_valid():
            filters = {
                "search": form.cleaned_data["q"] or "",
                "unit": form.cleaned_data["unit"],
                "level": form.cleaned_data["level"] or "",
            }
        officials = selectors.official_list_for(pemda=self.pemda, scope=self.unit_scope, **filters)
        if str(filters.get("search", "")).strip()[:1].isdigit():
            # A search by NIP (which encodes the birth date and sex) finds only the officials
            # whose personal data the user may see.
            visible = selectors.personal_data_list_for(user=self.request.user, pemda=self.pemda)
            officials = officials.filter(pk__in=visible.values("pk"))
        page = selectors.official_table_page(officials, 50, self.request.GET.get("page"))
        # One reverse() for the page instead of one {% url %} per row.
        link = reverse("org:official_detail", kwargs={"pemda": self.pemda.slug, "pk": _PK})
        rows = list(page.object_list)
        personal_ids = selectors.personal_data_visible_ids(
            user=self.request.user, pemda=self.pemda, ids=[row.pk for row in rows]
        )
        context.update(
            form=form,
            page_obj=page,
            officials=rows,
            official_rows=_official_rows(rows, personal_ids, link),
        )
        if not form.is_bound:
            # The empty filters are the same for every user of the Pemda (the labels, the
            # levels, the unit picker's address): written once per process and language.
            context["filters_html"] = kept_html(
                ("org.official_filters", self.pemda.slug),
                lambda: render_to_string("org/_official_filters.html", {"form": form}),
            )
        return context

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return ["org/_official_table.html"]
        return [self.template_name]


class OfficialDetailView(PemdaPermissionMixin, TemplateView):
    permission = "org.view"
    template_name = "org/official_detail.html"
    model = Official

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        official = selectors.official_get_for(
            pemda=self.pemda, pk=self.kwargs["pk"], scope=self.unit_scope
        )
        context["official"] = official
        context["history"] = selectors.assignment_history(official=official)
        context["show_personal"] = official.pk in selectors.personal_data_visible(
            user=self.request.user, pemda=self.pemda, officials=[official]
        )
        return context


class OfficialCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "org.manage"
    form_class = OfficialForm
    title = _("New official")
    success_message = _("The official has been registered.")

    def perform(self, form: OfficialForm) -> Official:
        return services.official_create(
            pemda=self.pemda, acting_user=self.request.user, **form.cleaned_data
        )


class OfficialUpdateView(PemdaPermissionMixin, ServiceFormView):
    permission = "org.manage"
    form_class = OfficialEditForm
    title = _("Edit official")
    success_message = _("The official has been saved.")
    model = Official

    def get_form_kwargs(self) -> dict[str, Any]:
        self.object = selectors.official_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {
            f: getattr(self.object, f)
            for f in ("name", "front_title", "back_title", "golongan", "email")
        }
        return kwargs

    def perform(self, form: OfficialEditForm) -> Official:
        return services.official_update(
            official=self.object, acting_user=self.request.user, **form.cleaned_data
        )


class AssignmentCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "org.manage"
    form_class = AssignmentForm
    title = _("Assign a position")
    success_message = _("The position assignment has been recorded.")
    model = Official

    def get_form_kwargs(self) -> dict[str, Any]:
        self.object = selectors.official_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "pemda": self.pemda}

    def perform(self, form: AssignmentForm) -> Official:
        services.assignment_start(
            official=self.object, acting_user=self.request.user, **form.cleaned_data
        )
        return self.object


class OfficialExportView(PemdaPermissionMixin, View):
    """The register with NIP and e-mail: personal data, for the roles whose duty needs it
    (a Kepala OPD: their unit), each export audited with its number of rows."""

    permission = "org.personal_data"

    def get(self, request: HttpRequest, pemda: str, fmt: str) -> HttpResponseBase:
        officials = selectors.official_list_for(pemda=self.pemda, scope=self.unit_scope)
        services.officials_export_record(
            pemda=self.pemda, acting_user=request.user, rows=officials.count(), fmt=fmt
        )
        headers = [
            "NIP",
            "NAMA",
            "GELAR DEPAN",
            "GELAR BELAKANG",
            "GOLONGAN",
            "JABATAN",
            "ESELON/JENJANG",
            "UNIT KERJA",
            "EMAIL",
            "TMT JABATAN",
        ]

        def rows() -> Any:
            return selectors.official_register_rows(officials)

        if fmt == "csv":
            return streaming_download(
                stream_csv(headers, rows()),
                f"pegawai-{self.pemda.slug}.csv",
                "text/csv; charset=utf-8",
            )
        return streaming_download(
            stream_xlsx(headers, rows(), title="Pegawai"), f"pegawai-{self.pemda.slug}.xlsx", XLSX
        )


# --- Imports ----------------------------------------------------------------------------------


class ImportListView(PemdaPermissionMixin, TemplateView):
    permission = "org.import"
    template_name = "org/import_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        imports.import_jobs_expire(pemda=self.pemda)
        context["form"] = kwargs.get("form") or ImportUploadForm()
        context["jobs"] = selectors.import_job_list_for(pemda=self.pemda)[:20]
        context["limit"] = imports.size_text(settings.PAKTA_IMPORT_MAX_BYTES)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = imports.import_job_create(
                    pemda=self.pemda,
                    file_name=upload.name,
                    content=imports.read_upload(upload),
                    acting_user=request.user,
                    mode=form.cleaned_data["mode"],
                    effective_date=form.cleaned_data["effective_date"],
                )
            except DomainError as error:
                form.add_error("file", str(error))
            else:
                return redirect(job.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportDetailView(PemdaPermissionMixin, TemplateView):
    """One import: its progress, the column mapping, the preview to confirm, the result."""

    permission = "org.import"
    template_name = "org/import_detail.html"
    model = ImportJob

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = kwargs.get("job") or selectors.import_job_get_for(
            pemda=self.pemda, pk=self.kwargs["pk"]
        )
        context["job"] = job
        remap = self.request.GET.get("columns") == "1"
        if job.status == ImportJob.Status.MAPPING or (
            remap and job.status == ImportJob.Status.PREVIEW
        ):
            context["mapping_form"] = kwargs.get("mapping_form") or ImportMappingForm(job=job)
        elif job.status == ImportJob.Status.PREVIEW:
            context["confirm_form"] = kwargs.get("confirm_form") or ImportConfirmForm(job=job)
        if job.is_waiting and len(job.sheets) > 1:
            context["sheet_form"] = kwargs.get("sheet_form") or ImportSheetForm(job=job)
        context["error_groups"] = imports.error_groups(job)
        context["error_rows"] = imports.error_rows(job)
        context["can_undo"] = (
            job.status == ImportJob.Status.DONE
            and bool(job.changes)
            and job.finished_at is not None
            and timezone.now() - job.finished_at <= imports.UNDO_WITHIN
        )
        return context

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["org/_import_progress.html"]
        return [self.template_name]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        job = response.context_data["job"]  # type: ignore[attr-defined]
        if getattr(request, "htmx", False) and job.is_waiting:
            # The check is over: the whole page shows the preview (or the mapping) to act on.
            response["HX-Refresh"] = "true"
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = selectors.import_job_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        action = request.POST.get("action", "map")
        forms: dict[str, Any] = {}
        try:
            if action == "cancel":
                imports.import_job_cancel(job=job, acting_user=request.user)
            elif action == "undo":
                imports.import_job_undo(job=job, acting_user=request.user)
                messages.success(request, _("The import was undone."))
            elif action == "sheet":
                forms["sheet_form"] = sheet_form = ImportSheetForm(request.POST, job=job)
                if not sheet_form.is_valid():
                    raise DomainError(_("Choose a sheet."))
                imports.import_job_choose_sheet(
                    job=job, sheet=sheet_form.cleaned_data["sheet"], acting_user=request.user
                )
            elif action == "confirm":
                forms["confirm_form"] = confirm_form = ImportConfirmForm(request.POST, job=job)
                if not confirm_form.is_valid():
                    raise DomainError(_("Check the choices below."))
                imports.import_job_confirm(
                    job=job,
                    acting_user=request.user,
                    mode=confirm_form.cleaned_data["mode"],
                    end_missing=confirm_form.cleaned_data.get("end_missing", False),
                    unit_choices=confirm_form.unit_choices(),
                )
            else:
                forms["mapping_form"] = form = ImportMappingForm(request.POST, job=job)
                if not form.is_valid():
                    raise DomainError(_("Choose a column for each required field."))
                imports.import_job_map(
                    job=job,
                    mapping={k: v for k, v in form.cleaned_data.items() if v},
                    acting_user=request.user,
                )
        except DomainError as error:
            messages.error(request, str(error))
            job.refresh_from_db()
            return self.render_to_response(self.get_context_data(job=job, **forms), status=400)
        return redirect(job.get_absolute_url())


class ImportErrorsView(PemdaPermissionMixin, View):
    """The refused rows as in the file, with the reason beside each, as XLSX."""

    permission = "org.import"
    model = ImportJob

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        job = selectors.import_job_get_for(pemda=self.pemda, pk=pk)
        return download_response(imports.errors_xlsx(job), f"kesalahan-impor-{job.pk}.xlsx", XLSX)


class ImportTemplateView(PemdaPermissionMixin, View):
    permission = "org.import"

    def get(self, request: HttpRequest, pemda: str, fmt: str) -> HttpResponse:
        if fmt == "csv":
            return download_response(
                rows_to_csv(TEMPLATE_HEADERS, [TEMPLATE_EXAMPLE]),
                "template-import-pegawai.csv",
                "text/csv; charset=utf-8",
            )
        return download_response(
            rows_to_xlsx(TEMPLATE_HEADERS, [TEMPLATE_EXAMPLE], title="Pegawai"),
            "template-import-pegawai.xlsx",
            XLSX,
        )
