from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.gratification.models import (
    CustodyItem,
    ExemptCategory,
    GiftKind,
    GiverEntry,
    GratificationReport,
    Relationship,
)
from pakta.org.models import Unit
from pakta.org.pickers import PickerField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
Report = GratificationReport


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    recipient_nip = forms.CharField(
        label=_("Recipient's NIP (filing on behalf)"),
        max_length=18,
        required=False,
        help_text=_("Leave empty to report a gift you received yourself."),
    )
    type = forms.ChoiceField(
        label=_("The gift was"),
        choices=Report.Type.choices,
        widget=forms.RadioSelect,
        initial=Report.Type.RECEIVED,
    )
    giver_name = forms.CharField(label=_("Giver's name"), max_length=200)
    giver_organisation = forms.CharField(
        label=_("Giver's organisation"), max_length=200, required=False
    )
    giver_identifier = forms.CharField(
        label=_("Giver's NIK, NPWP or NIB (if known)"), max_length=40, required=False
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the giver"), choices=[("", "—"), *Relationship.choices]
    )
    vendor_active_contract = forms.BooleanField(
        label=_("The giver has an active contract with my unit"), required=False
    )
    occasion = forms.CharField(label=_("Occasion"), max_length=300)
    exempt_category = forms.ChoiceField(
        label=_("Exempt category (if you think one applies)"),
        choices=[("", _("None")), *ExemptCategory.choices],
        required=False,
    )
    received_on = forms.DateField(label=_("Date received or offered"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of gift"), choices=[("", "—"), *GiftKind.choices])
    description = forms.CharField(label=_("What the gift is"), max_length=300)
    value = forms.IntegerField(
        label=_("Estimated value (Rp)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    location = forms.ChoiceField(
        label=_("Where the object is now"),
        choices=[c for c in Report.Location.choices if c[0] != Report.Location.NONE],
        required=False,
    )
    chronology = forms.CharField(label=_("Chronology"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = MultipleFileField(label=_("Evidence (photos or PDF)"), required=False)
    compensation_requested = forms.BooleanField(
        label=_("I ask for compensation (keep the item by paying its value)"), required=False
    )
    confidential = forms.BooleanField(label=_("Keep my report confidential"), required=False)

    def __init__(self, *args: Any, on_behalf: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not on_behalf:
            del self.fields["recipient_nip"]


class ReturnForm(forms.Form):
    missing = forms.CharField(label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("What you add"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = MultipleFileField(label=_("Evidence (photos or PDF)"), required=False)


class AnalysisForm(forms.Form):
    related_to_position = forms.BooleanField(
        label=_("Related to the recipient's position"), required=False
    )
    contrary_to_duty = forms.BooleanField(
        label=_("Contrary to the recipient's duty"), required=False
    )
    exempt_confirmed = forms.BooleanField(label=_("Falls in an exempt category"), required=False)
    appraised_value = forms.IntegerField(label=_("Value appraised by the UPG (Rp)"), required=False)
    note = forms.CharField(
        label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    route = forms.ChoiceField(
        label=_("Next step"),
        choices=[("kpk", _("Forward to KPK")), ("internal", _("Determined by the UPG"))],
        widget=forms.RadioSelect,
        initial="kpk",
    )


class ForwardForm(forms.Form):
    kpk_number = forms.CharField(
        label=_("KPK report number (when received)"), max_length=80, required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Report.Decision.choices)
    letter_number = forms.CharField(
        label=_("Decision letter number"), max_length=120, required=False
    )
    letter_date = forms.DateField(label=_("Decision letter date"), widget=DATE, required=False)
    letter = forms.FileField(label=_("Decision letter (PDF)"), required=False)


class ExecutionForm(forms.Form):
    execution = forms.ChoiceField(
        label=_("Execution"),
        choices=[
            ("deposited", _("Handed to the state (proof of deposit)")),
            ("compensated", _("Compensation paid (proof of payment)")),
            ("returned", _("Returned to the recipient")),
            ("kept", _("Kept by the recipient")),
        ],
    )
    compensation_value = forms.IntegerField(label=_("Compensation value (Rp)"), required=False)
    proof = forms.FileField(label=_("Proof"), required=False)


class CustodyForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=300)
    received_from = forms.CharField(label=_("Received from"), max_length=200)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    storage = forms.CharField(label=_("Where stored"), max_length=200)
    condition = forms.ChoiceField(label=_("Condition"), choices=CustodyItem.Condition.choices)
    photos = MultipleFileField(label=_("Photos"), required=False)


class ReleaseForm(forms.Form):
    released_to = forms.CharField(label=_("Released to"), max_length=200)
    receipt = forms.FileField(label=_("Signed receipt (PDF or image)"), required=False)
    distribution_report = forms.CharField(
        label=_("Distribution report (perishable food)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class GiverForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    identifier = forms.CharField(label=_("NIK, NPWP or NIB"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=GiverEntry.Kind.choices)
    unit = PickerField(kind="units", label=_("Unit with the contract"), required=False)
    valid_until = forms.DateField(
        label=_("Contract or case open until"), widget=DATE, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit: Any = self.fields["unit"]
        unit.bind(pemda=pemda, queryset=Unit.objects.filter(pemda=pemda))


STEP_FORMS: dict[str, type[forms.Form]] = {
    "return": ReturnForm,
    "verify": forms.Form,
    "analyse": AnalysisForm,
    "forward": ForwardForm,
    "kpk_number": ForwardForm,
    "decide": DecisionForm,
    "execute": ExecutionForm,
}


class SignForm(forms.Form):
    credential = forms.CharField(
        label=_("Your password or authenticator code"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ExemptCategory.choices)
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    source = forms.CharField(label=_("Legal source"), max_length=200)
    removed = forms.BooleanField(label=_("The category is removed from this date"), required=False)
    per_giver_limit = forms.IntegerField(label=_("Limit per giver (Rp)"), required=False)
    per_year_limit = forms.IntegerField(
        label=_("Limit per year from the same giver (Rp)"), required=False
    )
    non_cash_only = forms.BooleanField(label=_("Non-cash gifts only"), required=False)
    relationships = forms.MultipleChoiceField(
        label=_("Only for gifts from"),
        choices=Relationship.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Condition"), max_length=500, required=False)


class QuarterSignForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, q) for q in (1, 2, 3, 4)], coerce=int
    )
    credential = forms.CharField(
        label=_("Your password or authenticator code"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
