"""Login (username or NIP, then TOTP for privileged roles), enrolment, password reset, API token."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from pakta.accounts.credentials import totp_check
from pakta.accounts.forms import CountedPasswordChangeForm, LoginForm, ResetForm, TokenForm
from pakta.accounts.hooks import password_logged_in
from pakta.accounts.invitations import invitation_token_generator
from pakta.accounts.selectors import has_confirmed_device, own_data, own_document, pemda_list_for
from pakta.accounts.services import (
    api_token_create,
    login_record,
    password_change,
    password_changed_record,
    totp_enrol,
)
from pakta.core.documents import document_read
from pakta.core.downloads import PDF, download_response
from pakta.core.errors import LockedOutError
from pakta.core.templatetags.pakta import format_waktu


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        login_record(user=form.get_user())
        # Whistleblowing handlers: unwrap the report key with the password just typed.
        password_logged_in(
            request=self.request,
            response=response,
            user=form.get_user(),
            password=form.cleaned_data["password"],
        )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            from pakta.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_check(
                user=request.user,
                token=form.cleaned_data["token"],
                purpose="totp-verify",
                request=request,
            )
        except LockedOutError as error:
            form.add_error("token", str(error))
        else:
            if device is not None:
                otp_login(request, device)
                return redirect(_safe_next(request))
            form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    return render(request, "accounts/totp_verify.html", {"form": form, "next": _safe_next(request)})


TOTP_SESSION_KEY = "pakta_totp_pending_key"


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show a QR code of a new, unconfirmed device; confirm with a code.

    A user who already has an authenticator must pass it first: confirming a new device replaces
    the old one, so otherwise the password alone would get past two-factor login.
    """
    if has_confirmed_device(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect(
            f"{reverse('accounts:totp_verify')}?{urlencode({'next': _safe_next(request)})}"
        )
    # The secret lives in the session until the first code confirms it: a GET writes nothing.
    key = request.session.get(TOTP_SESSION_KEY) or random_hex(20)
    request.session[TOTP_SESSION_KEY] = key
    pending = TOTPDevice(user=request.user, name="authenticator", key=key)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp_enrol(user=request.user, key=key, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if device is not None:
            del request.session[TOTP_SESSION_KEY]
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is now on for your account."))
            return redirect(_safe_next(request))
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    device = pending
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": device.key, "next": _safe_next(request)},
    )


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    token = None
    if request.method == "POST":
        token = api_token_create(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/api_token.html", {"token": token})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = "/accounts/password-reset/sent/"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"
    form_class = CountedPasswordChangeForm

    def form_valid(self, form: Any) -> HttpResponse:
        password_change(
            user=form.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation link: the new user chooses a password (once, within 72 hours)."""

    template_name = "accounts/invitation_accept.html"
    token_generator = invitation_token_generator
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        # The new password and its audit event in one transaction (Django's view saves the form).
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed_record(user=form.user)
        return response


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """ "Data saya": the user's own personal data and signed documents, to see and download."""
    user: Any = request.user
    token = request.GET.get("document", "")
    if token:
        document = own_document(user=user, token=token)
        if document is None or document.pdf is None:
            raise Http404
        return download_response(document_read(document.pdf), f"{document.short_code}.pdf", PDF)
    data = own_data(user=user)
    if request.GET.get("format") == "json":
        return own_data_json(data)
    return render(request, "accounts/my_data.html", data)


def own_data_json(data: dict[str, Any]) -> HttpResponse:
    official = data["official"]
    payload = {
        "username": data["user"].username,
        "email": data["user"].email,
        "roles": [
            {"pemda": m.pemda.name, "role": m.role, "unit": m.unit.name if m.unit else None}
            for m in data["memberships"]
        ],
        "official": None
        if official is None
        else {
            "nip": official.nip,
            "name": official.full_name,
            "sex": official.sex,
            "birth_date": official.birth_date.isoformat(),
            "golongan": official.golongan,
            "email": official.email,
            "assignments": [
                {
                    "position": a.position.title,
                    "unit": a.position.unit.name,
                    "start_date": a.start_date.isoformat(),
                    "end_date": a.end_date.isoformat() if a.end_date else None,
                }
                for a in data["assignments"]
            ],
        },
        "signed_documents": [
            {
                "title": d.title,
                "code": d.short_code,
                "status": d.status,
                "state": d.state,
                "state_at": format_waktu(d.state_at, d.pemda.timezone) if d.state_at else None,
            }
            for d in data["documents"]
        ],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="data-saya.json"'
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a user of one Pemda to its home page; list the Pemda for everyone else."""
    pemdas = list(pemda_list_for(user=request.user))
    if len(pemdas) == 1 and not request.user.is_superuser:
        return redirect(pemdas[0].get_absolute_url())
    return render(request, "core/home.html", {"pemdas": pemdas})
