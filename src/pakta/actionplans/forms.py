from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.actionplans.models import ActionPlan, RecommendedAction
from pakta.core.widgets import MultipleFileInput as KeptFilesInput
from pakta.org.models import Unit
from pakta.org.pickers import PickerField
from pakta.surveys.models import Dimension, SpiFinding, Survey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=ActionPlan.Source.choices)
    letter_number = forms.CharField(
        label=_("KPK letter number"),
        max_length=120,
        required=False,
        help_text=_("For example B/1838/KSP.00/70-73/04/2024."),
    )
    letter_date = forms.DateField(label=_("KPK letter date"), required=False, widget=DATE)
    finding = forms.ModelChoiceField(
        label=_("SPI finding"), queryset=SpiFinding.objects.none(), required=False
    )
    survey = forms.ModelChoiceField(
        label=_("Internal survey"), queryset=Survey.objects.none(), required=False
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        finding: Any = self.fields["finding"]
        finding.queryset = SpiFinding.objects.filter(pemda=pemda).select_related(
            "result__survey_year"
        )
        finding.label_from_instance = lambda f: (
            f"SPI {f.result.survey_year.year} #{f.number}: {f.text[:90]}"
        )
        survey: Any = self.fields["survey"]
        survey.queryset = Survey.objects.filter(pemda=pemda)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    recommendation = forms.CharField(
        label=_("Recommendation answered"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    dimension = forms.ChoiceField(
        label=_("Dimension"), choices=[("", "—"), *Dimension.choices], required=False
    )
    owner_unit = PickerField(kind="units", label=_("Owner unit"))
    owner = PickerField(kind="officials", label=_("Person in charge"), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    required_output = forms.CharField(label=_("Required output (evidence)"), max_length=300)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit: Any = self.fields["owner_unit"]
        unit.bind(pemda=pemda, queryset=Unit.objects.filter(pemda=pemda, is_active=True))
        owner: Any = self.fields["owner"]
        owner.bind(pemda=pemda)


class LibraryDraftForm(forms.Form):
    actions = forms.ModelMultipleChoiceField(
        label=_("Recommended actions"),
        queryset=RecommendedAction.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    owner_unit = PickerField(kind="units", label=_("Owner unit"))
    owner = PickerField(kind="officials", label=_("Person in charge"), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, pemda: Any, dimensions: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        actions: Any = self.fields["actions"]
        if dimensions:
            actions.queryset = actions.queryset.filter(dimension__in=dimensions)
        actions.label_from_instance = lambda a: (
            f"[{a.get_dimension_display()}] {a.title} — {a.required_output}"
        )
        unit: Any = self.fields["owner_unit"]
        unit.bind(pemda=pemda, queryset=Unit.objects.filter(pemda=pemda, is_active=True))
        owner: Any = self.fields["owner"]
        owner.bind(pemda=pemda)


class MultipleFileInput(KeptFilesInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = MultipleFileField(label=_("Evidence files"), required=False)
    submit = forms.BooleanField(
        label=_("The action is complete: ask the inspektorat to verify it"), required=False
    )


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept: the action is done")),
            ("return", _("Return for correction")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required when returning)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class SignReportForm(forms.Form):
    credential = forms.CharField(
        label=_("Your password or authenticator code"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
