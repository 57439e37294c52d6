"""Forms of the signing-identity pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.org.models import Official, Pemda
from pakta.org.nip import normalize_nip

MAX_PKCS12_BYTES = 256 * 1024


class OfficialNipForm(forms.Form):
    nip = forms.CharField(label=_("NIP of the official"), max_length=30)

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pemda = pemda

    def clean_nip(self) -> Official:
        nip = normalize_nip(self.cleaned_data["nip"])
        official = Official.objects.filter(pemda=self.pemda, nip=nip).first()
        if official is None:
            raise forms.ValidationError(
                _("No official of this Pemda has the NIP %(nip)s.") % {"nip": nip}
            )
        return official


class IdentityImportForm(OfficialNipForm):
    file = forms.FileField(
        label=_("PKCS#12 file (.p12 or .pfx)"),
        help_text=_("For example a certificate issued by BSrE; it must carry the official's NIP."),
    )
    password = forms.CharField(
        label=_("Password of the file"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PKCS12_BYTES:
            raise forms.ValidationError(_("This file is too large for a PKCS#12 certificate."))
        data: bytes = upload.read()
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example: the key was lost, the official left office."),
    )
