"""A form view whose valid form calls one service; a DomainError becomes a form error."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.views.generic import FormView

from pakta.core.errors import DomainError


class ServiceFormView(FormView):
    template_name = "core/form.html"
    title: Any = ""
    success_message: Any = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def perform(self, form: Any) -> Any:
        """Call the service with the form's data and return the object to redirect to."""
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            obj = self.perform(form)
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, str(self.success_message))
        return HttpResponseRedirect(self.get_success_url_for(obj))

    def get_success_url_for(self, obj: Any) -> str:
        return str(obj.get_absolute_url())
