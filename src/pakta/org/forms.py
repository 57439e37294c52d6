from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.core.widgets import FastSelect
from pakta.org.imports import FIELDS
from pakta.org.models import Assignment, ImportJob, Pemda, Position, Unit
from pakta.org.pickers import PickerField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PemdaForm(forms.ModelForm):
    logo_file = forms.ImageField(label=_("Letterhead logo"), required=False)

    class Meta:
        model = Pemda
        fields = [
            "name",
            "slug",
            "kind",
            "kemendagri_code",
            "parent",
            "timezone",
            "seat",
            "address",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Pemda.objects.filter(kind=Pemda.Kind.PROVINSI)  # type: ignore[attr-defined]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    parent = PickerField(kind="units", label=_("Parent unit"), required=False)

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].bind(pemda=pemda)  # type: ignore[attr-defined]


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Position title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Position.Level.choices)
    unit = PickerField(kind="units", label=_("Unit"))
    is_unit_head = forms.BooleanField(label=_("Head of the unit"), required=False)

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].bind(pemda=pemda)  # type: ignore[attr-defined]


class OfficialForm(forms.Form):
    nip = forms.CharField(
        label=_("NIP"),
        max_length=22,
        help_text=_("18 digits: birth date, appointment month, sex, serial."),
    )
    front_title = forms.CharField(label=_("Title before the name"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=150)
    back_title = forms.CharField(label=_("Title after the name"), max_length=60, required=False)
    golongan = forms.CharField(label=_("Rank/golongan"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class OfficialEditForm(OfficialForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["nip"]


class AssignmentForm(forms.Form):
    position = PickerField(kind="positions", label=_("Position"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Assignment.Kind.choices)
    start_date = forms.DateField(label=_("Start date (TMT)"), widget=DateInput())

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position_field = self.fields["position"]
        assert isinstance(position_field, PickerField)
        position_field.bind(
            pemda=pemda, queryset=Position.objects.filter(pemda=pemda).select_related("unit")
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("HR export (CSV, XLSX, XLS or ODS)"))
    mode = forms.ChoiceField(
        label=_("If some rows are invalid"),
        choices=ImportJob.Mode.choices,
        widget=forms.RadioSelect,
        initial=ImportJob.Mode.ALL_OR_NOTHING,
    )
    effective_date = forms.DateField(
        label=_("Date of position changes (when the file has no TMT column)"),
        widget=DateInput(),
        required=False,
    )


class ImportMappingForm(forms.Form):
    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((h, h) for h in job.headers if h)]
        for key, (label, _aliases, required) in FIELDS.items():
            self.fields[key] = forms.ChoiceField(
                label=label, choices=choices, required=required, initial=job.mapping.get(key, "")
            )


class ImportSheetForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Sheet"))

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sheet = self.fields["sheet"]
        assert isinstance(sheet, forms.ChoiceField)
        sheet.choices = [(s["name"], s["name"]) for s in job.sheets]
        sheet.initial = job.sheet


class ImportConfirmForm(forms.Form):
    """The choices made on the preview: the mode, ending missing officials, and for each new
    unit whether it is really new or an existing unit under another name."""

    mode = forms.ChoiceField(
        label=_("If some rows are invalid"),
        choices=ImportJob.Mode.choices,
        widget=forms.RadioSelect,
    )
    end_missing = forms.BooleanField(
        label=_(
            "This file lists every official of the Pemda: end the assignments of officials missing from it"
        ),
        required=False,
    )

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].initial = job.mode
        self.unit_keys: dict[str, str] = {}
        if not job.preview.get("missing"):
            del self.fields["end_missing"]
        for number, unit in enumerate(job.preview.get("units_new", [])):
            if not unit.get("suggestions"):
                continue
            name = f"unit_{number}"
            self.unit_keys[name] = unit["key"]
            self.fields[name] = forms.TypedChoiceField(
                label=unit["path"],
                coerce=int,
                empty_value=None,
                required=False,
                choices=[
                    ("", _("Create it as a new unit")),
                    *(
                        (str(s["id"]), _("It is the existing unit %(name)s") % {"name": s["name"]})
                        for s in unit["suggestions"]
                    ),
                ],
            )

    def unit_fields(self) -> list[Any]:
        return [self[name] for name in self.unit_keys]

    def unit_choices(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(name) for name, key in self.unit_keys.items()}


class OfficialFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or NIP"), required=False)
    unit = PickerField(kind="units", label=_("Unit"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *Position.Level.choices],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args: Any, units: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].bind(pemda=pemda, queryset=units)  # type: ignore[attr-defined]
