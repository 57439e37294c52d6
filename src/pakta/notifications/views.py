"""The user's own notifications: a list, and marking them read."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from pakta.notifications.selectors import notification_list_for, sole_pemda_of
from pakta.notifications.services import notification_mark_all_read, notification_mark_read


class NotificationListView(LoginRequiredMixin, TemplateView):
    """GET lists the messages; POST with ``id`` opens one (marking it read), without marks all."""

    template_name = "notifications/notification_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The page keeps the Pemda menu of a user who belongs to one Pemda (or whose account is
        # an official's): the base template and the context processor read ``request.pemda``.
        if getattr(request, "pemda", None) is None and not request.user.is_superuser:
            pemda = sole_pemda_of(user=request.user)
            if pemda is not None:
                request.pemda = pemda  # type: ignore[attr-defined]
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        paginator = Paginator(notification_list_for(user=self.request.user), 50)
        context["page_obj"] = paginator.get_page(self.request.GET.get("page"))
        context["pemda"] = getattr(self.request, "pemda", None)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.POST.get("id", "")
        if raw.isdigit():
            notification = notification_mark_read(user=request.user, pk=int(raw))
            if (
                notification is not None
                and notification.url
                and url_has_allowed_host_and_scheme(
                    notification.url, allowed_hosts={request.get_host()}
                )
            ):
                return redirect(notification.url)
        else:
            notification_mark_all_read(user=request.user)
        return redirect("notifications:list")
