"""Kiosk pages: the admin's launcher (open kiosk mode, PINs, accounts for the participants) and
the kiosk itself at ``/kiosk/``, which a kiosk session is confined to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from pakta.core.errors import DomainError
from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.templatetags.pakta import waktu
from pakta.pacts import kiosk as kiosks
from pakta.pacts import selectors
from pakta.pacts.models import SigningEvent
from pakta.signing.models import Signature

DONE_KEY = "pakta_kiosk_done"


class KioskSignForm(forms.Form):
    nip = forms.CharField(
        label=_("Your NIP"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter your NIP.")},
    )
    secret = forms.CharField(
        label=_("Password, authenticator code or PIN"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "With an account: your password or the code of your authenticator app. Without "
            "one: the PIN on your invitation."
        ),
        error_messages={"required": _("Enter your password, your authenticator code or your PIN.")},
    )
    agree = forms.BooleanField(
        label=_("I have read the pact and agree to its commitments."),
        error_messages={"required": _("Tick the box to confirm that you have read the pact.")},
    )


class KioskCloseForm(forms.Form):
    login = forms.CharField(label=_("Admin's user name or NIP"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class PinIssueForm(forms.Form):
    send_email = forms.BooleanField(
        label=_("Also send each official with an e-mail address their PIN"), required=False
    )


# --- The admin's launcher -----------------------------------------------------------------------


class EventKioskView(PemdaPermissionMixin, View):
    """Open kiosk mode on this device: the admin's session here ends, the kiosk's begins."""

    permission = "pacts.manage"
    model = SigningEvent

    def get(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event = selectors.event_get_for(pemda=self.pemda, pk=pk)
        return render(
            request,
            "pacts/event_kiosk.html",
            {
                "pemda": self.pemda,
                "event": event,
                "counts": selectors.event_counts(event=event),
                "without_account": kiosks.participants_without_account(event),
                "pin_form": PinIssueForm(),
            },
        )

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event = selectors.event_get_for(pemda=self.pemda, pk=pk)
        try:
            token = kiosks.kiosk_open(event=event, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("pacts:event_kiosk", pemda=self.pemda.slug, pk=event.pk)
        logout(request)  # this device is now the kiosk: nothing of the admin's session stays
        request.session[kiosks.SESSION_KEY] = token
        return redirect("kiosk:home")


class EventPinsView(PemdaPermissionMixin, View):
    """Issue one-time PINs for the participants without an account: a printable list."""

    permission = "pacts.manage"
    model = SigningEvent

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event = selectors.event_get_for(pemda=self.pemda, pk=pk)
        form = PinIssueForm(request.POST)
        form.is_valid()
        try:
            issued = kiosks.kiosk_pins_issue(
                event=event,
                acting_user=request.user,
                send_email=bool(form.cleaned_data.get("send_email")),
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("pacts:event_kiosk", pemda=self.pemda.slug, pk=event.pk)
        response = render(
            request,
            "pacts/kiosk_pins.html",
            {"pemda": self.pemda, "event": event, "issued": issued},
        )
        response["Cache-Control"] = "no-store"
        return response


class EventAccountsView(PemdaPermissionMixin, View):
    """Accounts for the participants with an e-mail address, each invited to set a password."""

    permission = "pacts.manage"
    model = SigningEvent

    def post(self, request: HttpRequest, pemda: str, pk: int) -> HttpResponse:
        event = selectors.event_get_for(pemda=self.pemda, pk=pk)
        try:
            result = kiosks.event_accounts_provision(event=event, acting_user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "%(count)d accounts created; each official has been sent an invitation to "
                    "set a password."
                )
                % {"count": len(result.created)},
            )
        return redirect("pacts:event_kiosk", pemda=self.pemda.slug, pk=event.pk)


# --- The kiosk ------------------------------------------------------------------------------------


def _inactive(request: HttpRequest) -> HttpResponse:
    request.session.pop(kiosks.SESSION_KEY, None)
    return render(request, "pacts/kiosk.html", {"inactive": True})


class KioskView(View):
    """The signing flow and nothing else. Reset after each signer (and by the page's script
    after inactivity)."""

    def _kiosk(self, request: HttpRequest) -> Any:
        return kiosks.kiosk_get(request.session.get(kiosks.SESSION_KEY))

    def _page(self, request: HttpRequest, kiosk: Any, form: Any, status: int = 200) -> HttpResponse:
        event = kiosk.event
        return render(
            request,
            "pacts/kiosk.html",
            {
                "kiosk": kiosk,
                "event": event,
                "pemda": event.pemda,
                "form": form,
                "counts": selectors.event_counts(event=event),
                "clauses": [
                    c.replace("{instansi}", event.pemda.name) for c in event.template.clauses
                ],
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        kiosk = self._kiosk(request)
        if kiosk is None:
            return _inactive(request)
        return self._page(request, kiosk, KioskSignForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        kiosk = self._kiosk(request)
        if kiosk is None:
            return _inactive(request)
        form = KioskSignForm(request.POST)
        if not form.is_valid():
            return self._page(request, kiosk, form, status=400)
        try:
            result = kiosks.kiosk_sign(
                kiosk=kiosk, nip=form.cleaned_data["nip"], secret=form.cleaned_data["secret"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self._page(request, kiosk, form, status=400)
        pemda = kiosk.event.pemda
        if isinstance(result, Signature):
            request.session[DONE_KEY] = {
                "name": result.signer_name,
                "time": waktu(result.signed_at, pemda),
            }
        else:
            request.session[DONE_KEY] = {"name": result.official.full_name, "time": ""}
        return redirect("kiosk:done")


class KioskDoneView(View):
    """Thank the signer, then return to an empty form by itself."""

    def get(self, request: HttpRequest) -> HttpResponse:
        kiosk = kiosks.kiosk_get(request.session.get(kiosks.SESSION_KEY))
        if kiosk is None:
            return _inactive(request)
        done = request.session.pop(DONE_KEY, None)
        if not done:
            return redirect("kiosk:home")
        return render(
            request,
            "pacts/kiosk_done.html",
            {"kiosk": kiosk, "event": kiosk.event, "pemda": kiosk.event.pemda, "done": done},
        )


class KioskCloseView(View):
    """End kiosk mode on this device (an admin of the Pemda confirms)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        kiosk = kiosks.kiosk_get(request.session.get(kiosks.SESSION_KEY))
        if kiosk is None:
            return _inactive(request)
        return render(request, "pacts/kiosk_close.html", {"form": KioskCloseForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        kiosk = kiosks.kiosk_get(request.session.get(kiosks.SESSION_KEY))
        if kiosk is None:
            return _inactive(request)
        form = KioskCloseForm(request.POST)
        if form.is_valid():
            try:
                kiosks.kiosk_close(
                    kiosk=kiosk,
                    login=form.cleaned_data["login"],
                    password=form.cleaned_data["password"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                request.session.flush()
                return redirect("accounts:login")
        return render(request, "pacts/kiosk_close.html", {"form": form}, status=400)
