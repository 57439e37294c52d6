from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from pakta.audit.registry import ACTIONS
from pakta.audit.selectors import audit_event_list_for
from pakta.core.mixins import PemdaPermissionMixin


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *sorted(ACTIONS.items())],
    )
    actor = forms.CharField(label=_("User"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AuditEventListView(PemdaPermissionMixin, TemplateView):
    permission = "audit.view"
    template_name = "audit/event_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        events = audit_event_list_for(pemda=self.pemda, filters=filters)
        context["form"] = form
        context["page_obj"] = Paginator(events, 50).get_page(self.request.GET.get("page"))
        return context
