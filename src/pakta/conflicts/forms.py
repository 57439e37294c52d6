"""Forms of the conflicts pages. Identifier shapes are checked here too, so the Indonesian
message stands next to the field with the typed values kept; the services check them again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakta.conflicts.models import (
    Decision,
    DecisionAnswer,
    DecisionMember,
    DecisionSubject,
    DeclaredBusiness,
    DeclaredDebtGift,
    Relation,
    StandingDeclaration,
)
from pakta.conflicts.validators import validate_nib, validate_nik, validate_npwp, validate_share

DATE = forms.DateInput(attrs={"type": "date"})


class StartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=StandingDeclaration.Reason.choices,
        initial=StandingDeclaration.Reason.ANNUAL,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class RelativeForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"), required=False, help_text=_("16 digits, if you know it."), max_length=20
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    birth_place = forms.CharField(label=_("Birth place"), required=False, max_length=100)
    employer = forms.CharField(label=_("Employer"), required=False, max_length=200)

    def clean_nik(self) -> str:
        value = self.cleaned_data["nik"].strip()
        return validate_nik(value) if value else ""


class BusinessForm(forms.Form):
    company_name = forms.CharField(label=_("Company"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=DeclaredBusiness.Role.choices)
    nib = forms.CharField(label=_("NIB"), required=False, max_length=20)
    npwp = forms.CharField(label=_("NPWP"), required=False, max_length=25)
    share_percent = forms.CharField(label=_("Share (%)"), required=False, max_length=10)
    relative = forms.ChoiceField(label=_("Held by"), required=False)

    def __init__(self, *args: Any, declaration: StandingDeclaration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.declaration = declaration
        field: Any = self.fields["relative"]
        field.choices = [("", _("Myself"))] + [
            (str(r.pk), f"{r.name} ({r.get_relation_display()})")
            for r in declaration.relatives.all()
        ]

    def clean_nib(self) -> str:
        value = self.cleaned_data["nib"].strip()
        return validate_nib(value) if value else ""

    def clean_npwp(self) -> str:
        value = self.cleaned_data["npwp"].strip()
        return validate_npwp(value) if value else ""

    def clean_share_percent(self) -> Any:
        return validate_share(self.cleaned_data["share_percent"].strip())

    def clean_relative(self) -> Any:
        value = self.cleaned_data["relative"]
        return self.declaration.relatives.filter(pk=value).first() if value else None


class PositionForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    role = forms.CharField(label=_("Role or activity"), max_length=200)
    is_paid = forms.BooleanField(label=_("Paid"), required=False)


class DebtGiftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeclaredDebtGift.Kind.choices)
    counterparty = forms.CharField(label=_("Creditor or giver"), max_length=200)
    amount = forms.IntegerField(label=_("Amount (Rp)"), min_value=0)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class SubmitForm(forms.Form):
    credential = forms.CharField(
        label=_("Your password (to sign)"),
        widget=forms.PasswordInput,
        help_text=_("Submitting signs the declaration electronically in your name."),
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Decision.Kind.choices)
    code = forms.CharField(label=_("Code"), required=False, max_length=60)
    title = forms.CharField(label=_("Title"), max_length=250)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    opened_at = forms.DateTimeField(
        label=_("Opened at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, pemda: Any, scope: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pakta.org.selectors import unit_list_for

        self.fields["unit"].queryset = unit_list_for(pemda=pemda, scope=scope)  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class MemberForm(forms.Form):
    official: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Official"),
        queryset=None,
    )
    role = forms.ChoiceField(label=_("Role"), choices=DecisionMember.Role.choices)

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pakta.org.models import Official

        self.fields["official"].queryset = Official.objects.filter(pemda=pemda).order_by("name")  # type: ignore[attr-defined]


class SubjectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionSubject.Kind.choices)
    parent = forms.ChoiceField(label=_("Of tenderer"), required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    is_company = forms.BooleanField(label=_("Company"), required=False)
    nik = forms.CharField(label=_("NIK"), required=False, max_length=20)
    nib = forms.CharField(label=_("NIB"), required=False, max_length=20)
    npwp = forms.CharField(label=_("NPWP"), required=False, max_length=25)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    birth_place = forms.CharField(label=_("Birth place"), required=False, max_length=100)
    share_percent = forms.CharField(label=_("Share (%)"), required=False, max_length=10)

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision
        field: Any = self.fields["parent"]
        field.choices = [("", "—")] + [
            (str(s.pk), s.name) for s in decision.subjects.filter(is_company=True)
        ]

    def clean_nik(self) -> str:
        value = self.cleaned_data["nik"].strip()
        return validate_nik(value) if value else ""

    def clean_nib(self) -> str:
        value = self.cleaned_data["nib"].strip()
        return validate_nib(value) if value else ""

    def clean_npwp(self) -> str:
        value = self.cleaned_data["npwp"].strip()
        return validate_npwp(value) if value else ""

    def clean_share_percent(self) -> Any:
        return validate_share(self.cleaned_data["share_percent"].strip())

    def clean_parent(self) -> Any:
        value = self.cleaned_data["parent"]
        return self.decision.subjects.filter(pk=value).first() if value else None


class DeclareForm(forms.Form):
    """One relationship choice and a detail per tenderer or candidate."""

    def __init__(self, *args: Any, subjects: list[DecisionSubject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subjects = subjects
        for subject in subjects:
            self.fields[f"rel_{subject.pk}"] = forms.ChoiceField(
                label=subject.name,
                choices=DecisionAnswer.Relationship.choices,
                initial=DecisionAnswer.Relationship.NONE,
            )
            self.fields[f"detail_{subject.pk}"] = forms.CharField(
                label=_("Describe the relationship"), required=False, max_length=300
            )

    def answers(self) -> list[tuple[DecisionSubject, str, str]]:
        return [
            (s, self.cleaned_data[f"rel_{s.pk}"], self.cleaned_data[f"detail_{s.pk}"])
            for s in self.subjects
        ]


class RecusalForm(forms.Form):
    member: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Member who stands aside"),
        queryset=None,
    )
    substitute: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Substitute"),
        queryset=None,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pakta.org.models import Official

        self.fields["member"].queryset = decision.members.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["substitute"].queryset = Official.objects.filter(  # type: ignore[attr-defined]
            pemda=decision.pemda
        ).order_by("name")


class ReviewForm(forms.Form):
    ACTIONS = [
        ("confirm", _("Confirm")),
        ("dismiss", _("Dismiss (false positive)")),
        ("correct", _("Ask the official to correct")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
