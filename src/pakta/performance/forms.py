"""Forms of the performance pages. Numbers are typed as people write them (``7,5``, ``1.250.000``,
a range ``7-8``) and parsed with the same rules as the XLSX import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakta.core.widgets import MultipleFileInput as KeptFilesInput
from pakta.org.models import Assignment
from pakta.org.pickers import PickerField
from pakta.performance.imports import parse_number, parse_target
from pakta.performance.models import (
    QUARTER_LABELS,
    QUARTERS,
    REVISION_TRIGGERS,
    Goal,
    Indicator,
    PerformanceAgreement,
    Polarity,
)

TARGET_HELP = _("A number (7,5) or a range (7-8).")


class TargetField(forms.CharField):
    """A target: one number, or a range written ``7-8``; returns (lower, upper)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> tuple[Decimal | None, Decimal | None]:
        text = super().clean(value)
        try:
            return parse_target(text)
        except ValueError:
            raise forms.ValidationError(
                _("Write a number (for example 7,5) or a range (for example 7-8).")
            ) from None


class NumberField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError:
            raise forms.ValidationError(_("Write a number, for example 7,5.")) from None


class AgreementCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    official = PickerField(
        kind="officials",
        label=_("Official (first party)"),
        required=False,
        help_text=_("Administrators may prepare the draft for an official."),
    )
    superior = PickerField(
        kind="officials",
        label=_("Second party"),
        required=False,
        help_text=_("Leave empty for the direct superior (the regional head for a Kepala OPD)."),
    )

    def __init__(self, *args: Any, pemda: Any, manager: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if manager:
            self.fields["official"].bind(pemda=pemda)  # type: ignore[attr-defined]
            self.fields["superior"].bind(pemda=pemda)  # type: ignore[attr-defined]
        else:
            del self.fields["official"]
            del self.fields["superior"]


class GoalForm(forms.Form):
    name = forms.CharField(label=_("Strategic goal (sasaran strategis)"), max_length=500)


class IndicatorForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Strategic goal"), queryset=Goal.objects.none())
    name = forms.CharField(label=_("Performance indicator"), max_length=500)
    unit_of_measure = forms.CharField(
        label=_("Unit of measure"), max_length=60, help_text=_("For example %, dokumen, hari.")
    )
    polarity = forms.ChoiceField(label=_("Polarity"), choices=Polarity.choices)
    target = TargetField(label=_("Annual target"), required=True, help_text=TARGET_HELP)
    tw1 = TargetField(label=QUARTER_LABELS[1])
    tw2 = TargetField(label=QUARTER_LABELS[2])
    tw3 = TargetField(label=QUARTER_LABELS[3])
    tw4 = TargetField(label=QUARTER_LABELS[4])
    weight = NumberField(label=_("Weight"), required=False, initial="1")

    def __init__(self, *args: Any, agreement: PerformanceAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = agreement.goals.all()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, indicator: Indicator) -> dict[str, Any]:
        from pakta.performance.rendering import target_text

        initial: dict[str, Any] = {
            "goal": indicator.goal_id,
            "name": indicator.name,
            "unit_of_measure": indicator.unit_of_measure,
            "polarity": indicator.polarity,
            "target": target_text(indicator.target, indicator.target_upper).replace("\u2013", "-"),
            "weight": str(indicator.weight.normalize()),
        }
        for row in indicator.targets.all():
            initial[f"tw{row.quarter}"] = target_text(row.target, row.target_upper).replace(
                "\u2013", "-"
            )
        return initial

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "unit_of_measure": data["unit_of_measure"],
            "polarity": data["polarity"],
            "target": data["target"][0],
            "target_upper": data["target"][1],
            "weight": data["weight"] if data["weight"] is not None else 1,
            "quarter_targets": {q: data[f"tw{q}"] for q in QUARTERS},
        }


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Programme"), max_length=500)
    budget = NumberField(label=_("Budget (Rp)"), help_text=_("For example 1.250.000."))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SignForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this performance agreement and agree to its targets."),
        error_messages={"required": _("Tick the box to confirm that you have read the agreement.")},
    )
    credential = forms.CharField(
        label=_("Your password, or the code of your authenticator app"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
        help_text=_("Signing needs your confirmation: this is your electronic signature."),
    )


class ReviseForm(forms.Form):
    trigger = forms.ChoiceField(
        label=_("Cause of the revision"),
        choices=REVISION_TRIGGERS,
    )
    trigger_assignment = forms.ModelChoiceField(
        label=_("Position assignment"),
        queryset=Assignment.objects.none(),
        required=False,
        help_text=_("For a change of position: the assignment that caused the revision."),
    )
    reason = forms.CharField(
        label=_("Reason for the revision"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agreement: PerformanceAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trigger_assignment"].queryset = (  # type: ignore[attr-defined]
            agreement.official.assignments.select_related("position").order_by("-start_date")
        )


class CascadeForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Indicator of the superior's agreement"), queryset=Indicator.objects.none()
    )
    goal = forms.ModelChoiceField(
        label=_("Into the strategic goal"),
        queryset=Goal.objects.none(),
        required=False,
        help_text=_("Leave empty to use (or create) a goal named as the superior's."),
    )
    target = TargetField(
        label=_("Annual target for this agreement"),
        help_text=_("Leave empty to copy the superior's targets."),
    )

    def __init__(
        self, *args: Any, agreement: PerformanceAgreement, sources: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        self.fields["goal"].queryset = agreement.goals.all()  # type: ignore[attr-defined]


class MultipleFileInput(KeptFilesInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RealizationForm(forms.Form):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, QUARTER_LABELS[q]) for q in QUARTERS], coerce=int
    )
    value = NumberField(label=_("Realization"))
    note = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, images or office documents. Required for the first report."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file (from the template)"))


class CalendarForm(forms.Form):
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    dpa_date = forms.DateField(
        label=_("DPA date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date the budget execution documents (DPA) were issued."),
    )


class AgreementFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *PerformanceAgreement.Status.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Name or NIP"), required=False, max_length=60)
