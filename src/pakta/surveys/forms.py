from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.surveys.models import (
    DIMENSION_FIELDS,
    GROUP_FIELDS,
    Dimension,
    Questionnaire,
    SpiResult,
    SurveyYear,
)

# The SPI has been held since 2017; a year outside this range is a typing slip.
SURVEY_YEARS = (2000, 2100)


class SurveyYearForm(forms.ModelForm):
    class Meta:
        model = SurveyYear
        fields = ["year", "rentan_from", "waspada_from", "terjaga_from", "national_index", "source"]
        # "72,5" as Indonesians write it (and "72.5" in English).
        localized_fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The year is a plain number: "2026", not "2.026".
        self.fields["year"].localize = False
        self.fields["year"].widget.is_localized = False

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year is not None and not SURVEY_YEARS[0] <= year <= SURVEY_YEARS[1]:
            raise forms.ValidationError(_("Give a survey year between 2000 and 2100."))
        return year

    def clean(self) -> dict[str, Any]:
        """The thresholds rise: rentan < waspada < terjaga (said in words, next to the field,
        instead of the database constraint's name)."""
        data = super().clean() or {}
        rentan, waspada, terjaga = (
            data.get("rentan_from"),
            data.get("waspada_from"),
            data.get("terjaga_from"),
        )
        if waspada is not None and terjaga is not None and not waspada < terjaga:
            self.add_error("terjaga_from", _("“Terjaga from” must be higher than “waspada from”."))
        if rentan is not None and waspada is not None and not rentan < waspada:
            self.add_error("waspada_from", _("“Waspada from” must be higher than “rentan from”."))
        return data


class SpiResultForm(forms.ModelForm):
    year = forms.TypedChoiceField(label=_("Survey year"), coerce=int, choices=())

    class Meta:
        model = SpiResult
        fields = [
            "index",
            "correction_factor",
            "respondents",
            *DIMENSION_FIELDS.values(),
            *GROUP_FIELDS.values(),
        ]
        # "72,5" as Indonesians write it (and "72.5" in English).
        localized_fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year: Any = self.fields["year"]
        year.choices = [(y, str(y)) for y in SurveyYear.objects.values_list("year", flat=True)]
        if self.instance.pk:
            self.fields["year"].initial = self.instance.survey_year.year
            self.fields["year"].disabled = True
        self.order_fields(["year"])


class FindingForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("Dimension"), choices=[("", "—"), *Dimension.choices], required=False
    )
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))


class SpiImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))


LINE_HELP = _(
    "One statement per line: the dimension code, a colon, then the statement. Start the "
    "statement with (-) when agreeing with it is bad (reverse scored). Codes: %(codes)s."
)


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    scale = forms.IntegerField(label=_("Answer scale"), min_value=2, max_value=9)
    questions = forms.CharField(
        label=_("Statements"), widget=forms.Textarea(attrs={"rows": 18, "cols": 100})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].help_text = LINE_HELP % {"codes": ", ".join(Dimension.values)}

    def clean_questions(self) -> list[tuple[str, str, bool]]:
        result = []
        for number, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, text = line.partition(":")
            code, text = code.strip(), text.strip()
            if not sep or code not in Dimension.values or not text:
                raise forms.ValidationError(
                    _("Line %(line)d: write a dimension code, a colon and the statement.")
                    % {"line": number}
                )
            reverse = text.startswith("(-)")
            result.append((code, text.removeprefix("(-)").strip(), reverse))
        if not result:
            raise forms.ValidationError(_("A questionnaire needs at least one statement."))
        return result


def questions_text(questionnaire: Questionnaire) -> str:
    return "\n".join(
        f"{q.dimension}: {'(-) ' if q.reverse_scored else ''}{q.text}"
        for q in questionnaire.questions.all()
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire version"), queryset=Questionnaire.objects.none()
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["questionnaire"]
        field.queryset = Questionnaire.objects.filter(
            pemda=pemda, status=Questionnaire.Status.PUBLISHED
        )


class AnswerForm(forms.Form):
    """One radio group per statement; built from the questionnaire."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), str(n)) for n in range(1, questionnaire.scale + 1)]
        for question in questionnaire.questions.all():
            self.fields[f"q{question.position}"] = forms.TypedChoiceField(
                label=question.text,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[int, int]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
