"""Forms of the pact pages: templates, events, participants, witnesses, signing and the kiosk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pakta.core.errors import DomainError
from pakta.org.models import Official, Pemda
from pakta.org.pickers import PickerField
from pakta.org.selectors import official_get_by_nip
from pakta.pacts import selectors
from pakta.pacts.models import DEFAULT_CLAUSES, Pact, PactTemplate


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def clauses_text(clauses: list[str]) -> str:
    return "\n".join(clauses)


class NipField(forms.CharField):
    """An NIP typed by a person (spaces allowed) that must designate an official of the Pemda."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("label", _("NIP"))
        super().__init__(**kwargs)
        self.pemda: Pemda | None = None

    def clean(self, value: Any) -> Official | None:
        text = super().clean(value)
        if not text:
            return None
        assert self.pemda is not None
        try:
            return official_get_by_nip(pemda=self.pemda, nip=text)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.nip})"


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, initial="Pakta Integritas")
    title = forms.CharField(label=_("Document title"), max_length=150, initial="PAKTA INTEGRITAS")
    opening = forms.CharField(
        label=_("Opening"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=PactTemplate._meta.get_field("opening").default,
    )
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=PactTemplate._meta.get_field("statement").default,
    )
    clauses = forms.CharField(
        label=_("Commitments, one per line"),
        widget=forms.Textarea(attrs={"rows": 14}),
        initial=clauses_text(DEFAULT_CLAUSES),
        help_text=_(
            "Each line becomes one numbered commitment. {instansi} is replaced by the name of "
            "the signer's unit."
        ),
    )

    def clean_clauses(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["clauses"].splitlines()]
        clauses = [line for line in lines if line]
        if not clauses:
            raise forms.ValidationError(_("A pact needs at least one commitment."))
        return clauses


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    occasion = forms.CharField(label=_("Occasion"), max_length=300, required=False)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("For example Aula Krakatau.")
    )

    def clean_date(self) -> Any:
        from pakta.pacts.services import EVENT_DATE_MESSAGE, EVENT_YEARS

        date = self.cleaned_data["date"]
        if not EVENT_YEARS[0] <= date.year <= EVENT_YEARS[1]:
            raise forms.ValidationError(EVENT_DATE_MESSAGE)
        return date

    year = forms.IntegerField(
        label=_("Year of the commitment"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Leave empty for the year of the event's date."),
    )
    leader = OfficialChoiceField(
        label=_("Leader"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("Officials holding a JPT position. Or give the leader's NIP below."),
    )
    leader_nip = NipField(label=_("Leader's NIP"), required=False)
    leader_title = forms.CharField(
        label=_("Leader's title"),
        max_length=150,
        required=False,
        help_text=_("For example Bupati Lampung Selatan."),
    )
    template = forms.ModelChoiceField(
        label=_("Template version"), queryset=PactTemplate.objects.none()
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        assert isinstance(leader, forms.ModelChoiceField)
        leader.queryset = selectors.jpt_officials_for(pemda=pemda)
        template = self.fields["template"]
        assert isinstance(template, forms.ModelChoiceField)
        template.queryset = selectors.template_list_for(pemda=pemda).filter(
            status=PactTemplate.Status.PUBLISHED
        )
        template.initial = template.queryset.first()
        template.empty_label = None
        nip = self.fields["leader_nip"]
        assert isinstance(nip, NipField)
        nip.pemda = pemda

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_nip = data.pop("leader_nip", None)
        chosen = data.get("leader")
        if by_nip is not None and chosen is not None and by_nip.pk != chosen.pk:
            raise forms.ValidationError(
                _("Choose the leader from the list or give an NIP, not two different people.")
            )
        data["leader"] = chosen or by_nip
        return data


class ParticipantFilterForm(forms.Form):
    KINDS = [
        ("kepala_opd", _("All Kepala OPD (heads of the top-level units)")),
        ("eselon_ii", _("All eselon II (JPT Madya and JPT Pratama)")),
        ("unit", _("Everyone in one unit (with its sub-units)")),
        ("nips", _("A list of NIPs")),
    ]
    kind = forms.ChoiceField(
        label=_("Who signs"), choices=KINDS, widget=forms.RadioSelect, initial="kepala_opd"
    )
    unit = PickerField(kind="units", label=_("Unit"), required=False)
    nips = forms.CharField(
        label=_("NIPs"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One NIP per line (or separated by commas)."),
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, PickerField)
        unit.bind(pemda=pemda)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "unit" and not data.get("unit"):
            self.add_error("unit", _("Choose the unit."))
        raw = data.get("nips") or ""
        data["nip_list"] = [n for n in raw.replace(",", "\n").split() if n.strip()]
        if kind == "nips" and not data["nip_list"]:
            self.add_error("nips", _("Give at least one NIP."))
        return data


class WitnessForm(forms.Form):
    nip = NipField(
        label=_("NIP of an internal witness"),
        required=False,
        help_text=_("For an official of this Pemda. Leave empty for an external stakeholder."),
    )
    name = forms.CharField(label=_("Name of an external witness"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mail address of an external witness"),
        required=False,
        help_text=_("The link to sign the ceremony record is sent there when the event closes."),
        error_messages={"invalid": _("Enter a valid e-mail address, such as nama@kejari.go.id.")},
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nip = self.fields["nip"]
        assert isinstance(nip, NipField)
        nip.pemda = pemda

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("nip") and not (data.get("name") or "").strip() and not self.errors:
            raise forms.ValidationError(
                _("Give the NIP of an internal witness or the name of an external one.")
            )
        return data


class ExcuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example annual leave, sick leave or a vacant position."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=300,
        help_text=_("For example: issued to the wrong official, or with the wrong text."),
    )


class SignForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read this pact and agree to its commitments."),
        error_messages={"required": _("Tick the box to confirm that you have read the pact.")},
    )
    credential = forms.CharField(
        label=_("Your password, or the code of your authenticator app"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
        help_text=_("Signing needs your confirmation: this is your electronic signature."),
    )


class PactFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Pact.Status.choices], required=False
    )
    unit = PickerField(kind="units", label=_("Unit"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, units: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, PickerField)
        unit.bind(pemda=pemda, queryset=units)
        self.fields["year"].widget.attrs["placeholder"] = str(timezone.localdate().year)
