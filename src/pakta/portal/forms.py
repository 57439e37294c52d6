"""Forms of the public portal: a verification code, a PDF to check."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ShortCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=30,
        help_text=_("The code printed beside the QR code, e.g. ABCDE-12345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
