"""Forms of the discipline pages: opening a case and one form per procedural step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.discipline.models import DisciplineCase, Provision
from pakta.discipline.rules import Authority, Level, SanctionType
from pakta.org.models import Official

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class ProvisionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}: {obj.text}"


class OfficialField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.nip}"


class OfficialsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.nip}"


def _officials(pemda: Any) -> Any:
    return Official.objects.filter(pemda=pemda).order_by("name")


class CaseForm(forms.Form):
    official = OfficialField(label=_("Official"), queryset=Official.objects.none())
    incident_date = forms.DateField(label=_("Date of the facts"), widget=DATE)
    level = forms.ChoiceField(label=_("Alleged level"), choices=Level.choices)
    provisions = ProvisionField(
        label=_("Obligations or prohibitions of PP 94/2021 allegedly broken"),
        queryset=Provision.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    pact_clause = forms.IntegerField(
        label=_("Clause of the signed integrity pact broken"),
        min_value=1,
        required=False,
        help_text=_("The number of the clause in the official's pact for the year of the facts."),
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=DisciplineCase.Origin.choices)
    origin_report = forms.CharField(
        label=_("Whistleblowing report reference"), max_length=9, required=False
    )
    origin_action_item = forms.IntegerField(
        label=_("Action item number"), required=False, min_value=1
    )
    origin_ref = forms.IntegerField(
        label=_("Number of the gratification report, conflict finding or procurement case"),
        required=False,
        min_value=1,
        help_text=_("Filled in when the case is opened from the record's page."),
    )
    summary = forms.CharField(label=_("Facts (confidential)"), widget=TEXT)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pemda = pemda
        official: Any = self.fields["official"]
        official.queryset = _officials(pemda)
        provisions: Any = self.fields["provisions"]
        provisions.queryset = Provision.objects.filter(is_active=True)

    def clean_origin_report(self) -> Any:
        from pakta.reports.models import Report

        reference = self.cleaned_data.get("origin_report", "").strip().upper()
        if not reference:
            return None
        report = Report.objects.filter(pemda=self.pemda, reference=reference).first()
        if report is None:
            raise forms.ValidationError(_("No report of this Pemda has this reference."))
        return report

    def clean_origin_action_item(self) -> Any:
        from pakta.actionplans.models import ActionItem

        pk = self.cleaned_data.get("origin_action_item")
        if not pk:
            return None
        item = ActionItem.objects.filter(pemda=self.pemda, pk=pk).first()
        if item is None:
            raise forms.ValidationError(_("No action item of this Pemda has this number."))
        return item


class SummonsForm(forms.Form):
    letter_date = forms.DateField(label=_("Date of the summons letter"), widget=DATE)
    hearing_date = forms.DateField(label=_("Hearing date"), widget=DATE)
    reference = forms.CharField(label=_("Letter number"), max_length=120, required=False)


class AbsentForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class TeamForm(forms.Form):
    members = OfficialsField(
        label=_("Members (direct superior, Inspektorat, HR)"),
        queryset=Official.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members: Any = self.fields["members"]
        members.queryset = _officials(pemda)


class ExaminationForm(forms.Form):
    examiner = OfficialField(label=_("Examiner"), queryset=Official.objects.none())
    held_on = forms.DateField(label=_("Date of the examination"), widget=DATE)
    level = forms.ChoiceField(label=_("Level found"), choices=Level.choices)
    findings = forms.CharField(label=_("Findings (the record's content)"), widget=TEXT)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        examiner: Any = self.fields["examiner"]
        examiner.queryset = _officials(pemda)


class SignForm(forms.Form):
    credential = forms.CharField(
        label=_("Your password (or authenticator code) to sign"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class DecisionForm(SignForm):
    authority = forms.ChoiceField(label=_("Deciding authority"), choices=Authority.choices)
    sanction_type = forms.ChoiceField(label=_("Sanction"), choices=SanctionType.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=120)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE)
    start_date = forms.DateField(label=_("In force from"), widget=DATE)
    end_date = forms.DateField(
        label=_("In force until"),
        widget=DATE,
        required=False,
        help_text=_("Left empty, it follows from the sanction's duration."),
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXT)
    field_order = [
        "authority",
        "sanction_type",
        "decision_number",
        "decision_date",
        "start_date",
        "end_date",
        "reason",
        "credential",
    ]


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)


class ObjectionForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class ObjectionDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("1", _("Decision upheld")), ("0", _("Decision annulled"))],
        coerce=lambda v: v == "1",
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing without sanction"), widget=TEXT)
