from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.procurement.models import Case, CaseEntry, OcdsImport


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("OCDS file"),
        help_text=_(
            "JSON Lines: one compiled release, release package or record package per line."
        ),
    )
    mode = forms.ChoiceField(
        label=_("Lines with errors"),
        choices=OcdsImport.Mode.choices,
        initial=OcdsImport.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseEntry.Kind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("File"), required=False)


class CloseForm(forms.Form):
    finding = forms.ChoiceField(label=_("Finding"), choices=Case.Finding.choices)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        return super().clean() or {}
