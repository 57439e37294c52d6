"""A Pemda administrator's pages for users and their roles (permission ``accounts.manage``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from pakta.accounts import selectors, services
from pakta.accounts.models import Membership, RoleRequest, User
from pakta.core.errors import DomainError
from pakta.core.forms import ServiceFormView
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.roles import REPORT_READING_ROLES, Role
from pakta.org.models import Official, Pemda, Unit
from pakta.org.nip import normalize_nip
from pakta.org.selectors import official_get_by_nip, top_unit_list_for


class UserCreateForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    nip = forms.CharField(
        label=gettext_lazy("NIP of the official"),
        max_length=22,
        required=False,
        help_text=gettext_lazy(
            "Links the account to the official, who can then log in with the NIP."
        ),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit (for Kepala OPD)"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pemda = pemda
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = top_unit_list_for(pemda=pemda)

    def clean_nip(self) -> Official | None:
        if not normalize_nip(self.cleaned_data.get("nip", "")):
            return None
        try:
            return official_get_by_nip(pemda=self.pemda, nip=self.cleaned_data["nip"])
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit (for Kepala OPD)"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = top_unit_list_for(pemda=pemda)


class UserListView(PemdaPermissionMixin, TemplateView):
    permission = "accounts.manage"
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.membership_list_for(pemda=self.pemda)
        return context


class UserCreateView(PemdaPermissionMixin, ServiceFormView):
    """Create an account with a role; the user chooses a password through the invitation e-mail."""

    permission = "accounts.manage"
    form_class = UserCreateForm
    title = gettext_lazy("New user")
    success_message = gettext_lazy(
        "The user has been created and e-mailed a link to choose a password, valid for 72 hours."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "pemda": self.pemda}

    def perform(self, form: UserCreateForm) -> User:
        data = form.cleaned_data
        return services.user_create_with_role(
            pemda=self.pemda,
            username=data["username"],
            email=data["email"],
            official=data["nip"],
            role=Role(data["role"]),
            unit=data["unit"],
            acting_user=self.request.user,
        )

    def get_success_url_for(self, obj: Any) -> str:
        return reverse("users:user_list", kwargs={"pemda": self.pemda.slug})


class MembershipCreateView(PemdaPermissionMixin, ServiceFormView):
    permission = "accounts.manage"
    form_class = MembershipForm
    title = gettext_lazy("Grant a role")
    success_message = gettext_lazy("The role has been granted.")
    model = User

    def get_form_kwargs(self) -> dict[str, Any]:
        self.target = get_object_or_404(
            selectors.user_list_for(pemda=self.pemda), pk=self.kwargs["pk"]
        )
        return {**super().get_form_kwargs(), "pemda": self.pemda}

    def perform(self, form: MembershipForm) -> Any:
        role = Role(form.cleaned_data["role"])
        if role in REPORT_READING_ROLES and not self.request.user.is_superuser:
            self.success_message = gettext_lazy(
                "The role reads integrity reports: it has been requested, and is granted once "
                "the head of the Inspektorat or the superadmin approves."
            )
            return services.role_request_create(
                user=self.target,
                pemda=self.pemda,
                role=role,
                unit=form.cleaned_data["unit"],
                acting_user=self.request.user,
            )
        return services.membership_grant(
            user=self.target,
            pemda=self.pemda,
            role=role,
            unit=form.cleaned_data["unit"],
            acting_user=self.request.user,
        )

    def get_success_url_for(self, obj: Any) -> str:
        return reverse("users:user_list", kwargs={"pemda": self.pemda.slug})


class MembershipRevokeView(PemdaPermissionMixin, View):
    permission = "accounts.manage"
    model = Membership
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = get_object_or_404(
            selectors.membership_list_for(pemda=self.pemda), pk=kwargs["pk"]
        )
        try:
            services.membership_revoke(membership=membership, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The role has been revoked."))
        return HttpResponseRedirect(reverse("users:user_list", kwargs={"pemda": self.pemda.slug}))


class RoleRequestListView(PemdaPermissionMixin, TemplateView):
    """Requests for roles that read integrity reports, for the handlers to decide."""

    permission = "accounts.approve_roles"
    template_name = "accounts/role_requests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["requests"] = selectors.role_request_list_for(pemda=self.pemda)
        context["can_decide"] = services.role_request_can_decide(
            user=self.request.user, pemda=self.pemda
        )
        return context


class RoleRequestDecideView(PemdaPermissionMixin, View):
    permission = "accounts.approve_roles"
    model = RoleRequest
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        role_request = get_object_or_404(
            selectors.role_request_list_for(pemda=self.pemda), pk=kwargs["pk"]
        )
        approve = request.POST.get("decision") == "approve"
        try:
            services.role_request_decide(
                request=role_request, approve=approve, acting_user=request.user
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The role has been granted.") if approve else _("The request has been refused."),
            )
        return HttpResponseRedirect(
            reverse("users:role_request_list", kwargs={"pemda": self.pemda.slug})
        )
