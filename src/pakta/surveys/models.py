"""SPI results (KPK's integrity survey) and the Pemda's own internal integrity survey.

The category of an index comes from the thresholds of its survey year (``SurveyYear``), which
KPK changes from year to year. Internal-survey responses are kept apart from the tokens that
allowed them: see ``SurveyResponse``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel, TenantModel

SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Dimension(models.TextChoices):
    """The seven SPI dimensions (DOMAIN.md section 3)."""

    TRANSPARENCY = "transparency", _("Transparency")
    HR = "hr_management", _("HR management")
    BUDGET = "budget_management", _("Budget management")
    INTEGRITY = "integrity_in_duties", _("Integrity in duties")
    TRADING_IN_INFLUENCE = "trading_in_influence", _("Trading in influence")
    PROCUREMENT = "procurement", _("Procurement")
    SOCIALISATION = "anticorruption_socialisation", _("Anti-corruption socialisation")


class RespondentGroup(models.TextChoices):
    INTERNAL = "internal", _("Internal (employees)")
    EXTERNAL = "external", _("External (service users, vendors)")
    EXPERT = "expert", _("Experts")


class Category(models.TextChoices):
    SANGAT_RENTAN = "sangat_rentan", _("Sangat rentan (very vulnerable)")
    RENTAN = "rentan", _("Rentan (vulnerable)")
    WASPADA = "waspada", _("Waspada (alert)")
    TERJAGA = "terjaga", _("Terjaga (guarded)")


class SurveyYear(BaseModel):
    """One SPI year: its category thresholds and the national index. Edited by the superadmin.

    Each threshold is the lowest index of its category (inclusive); an index below
    ``rentan_from`` is *sangat rentan*, and when ``rentan_from`` is empty that year has no
    *sangat rentan* band. "Above 80" is stored as 80.01: indices have two decimals.
    """

    year = models.PositiveSmallIntegerField(_("survey year"), unique=True)
    rentan_from = models.DecimalField(
        _("rentan from"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_("Leave empty when the year has no 'sangat rentan' band."),
    )
    waspada_from = models.DecimalField(
        _("waspada from"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    terjaga_from = models.DecimalField(
        _("terjaga from"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    national_index = models.DecimalField(
        _("national index"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    source = models.URLField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey year")
        verbose_name_plural = _("survey years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(waspada_from__lt=models.F("terjaga_from")),
                name="surveys_year_waspada_below_terjaga",
            ),
            models.CheckConstraint(
                condition=models.Q(rentan_from__isnull=True)
                | models.Q(rentan_from__lt=models.F("waspada_from")),
                name="surveys_year_rentan_below_waspada",
            ),
        ]

    def __str__(self) -> str:
        return f"SPI {self.year}"

    def category_of(self, index: Decimal | float | None) -> str | None:
        """The category code of ``index`` in this year, or None without an index."""
        if index is None:
            return None
        value = Decimal(str(index)).quantize(Decimal("0.01"))
        if value >= self.terjaga_from:
            return Category.TERJAGA
        if value >= self.waspada_from:
            return Category.WASPADA
        if self.rentan_from is None or value >= self.rentan_from:
            return Category.RENTAN
        return Category.SANGAT_RENTAN


def _score(label: Any) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )


# Column name of each dimension's and each respondent group's score on SpiResult.
DIMENSION_FIELDS = {d.value: f"dim_{d.value}" for d in Dimension}
GROUP_FIELDS = {g.value: f"group_{g.value}" for g in RespondentGroup}


class SpiResult(TenantModel):
    """The Pemda's SPI result of one year, as KPK published it."""

    survey_year = models.ForeignKey(
        SurveyYear, on_delete=models.PROTECT, related_name="results", verbose_name=_("year")
    )
    index = models.DecimalField(
        _("index"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    correction_factor = models.DecimalField(
        _("correction factor"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("Points KPK deducted (or added) for objective data such as complaints."),
    )
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    dim_transparency = _score(_("Transparency"))
    dim_hr_management = _score(_("HR management"))
    dim_budget_management = _score(_("Budget management"))
    dim_integrity_in_duties = _score(_("Integrity in duties"))
    dim_trading_in_influence = _score(_("Trading in influence"))
    dim_procurement = _score(_("Procurement"))
    dim_anticorruption_socialisation = _score(_("Anti-corruption socialisation"))
    group_internal = _score(_("Internal respondents"))
    group_external = _score(_("External respondents"))
    group_expert = _score(_("Expert respondents"))

    class Meta:
        verbose_name = _("SPI result")
        verbose_name_plural = _("SPI results")
        ordering = ["-survey_year__year"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "survey_year"], name="surveys_result_year")
        ]

    def __str__(self) -> str:
        return f"SPI {self.survey_year.year}: {self.index}"

    @property
    def year(self) -> int:
        return self.survey_year.year

    @property
    def category(self) -> str | None:
        return self.survey_year.category_of(self.index)

    def dimension_scores(self) -> dict[str, Decimal | None]:
        return {code: getattr(self, field) for code, field in DIMENSION_FIELDS.items()}

    def group_scores(self) -> dict[str, Decimal | None]:
        return {code: getattr(self, field) for code, field in GROUP_FIELDS.items()}

    def get_absolute_url(self) -> str:
        return reverse("surveys:result_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class SpiFinding(TenantModel):
    """One of KPK's recommendations to the Pemda for a year (its "findings")."""

    result = models.ForeignKey(
        SpiResult, on_delete=models.CASCADE, related_name="findings", verbose_name=_("SPI result")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    dimension = models.CharField(
        _("dimension"), max_length=32, choices=Dimension.choices, blank=True
    )
    text = models.TextField(_("recommendation"))

    class Meta:
        verbose_name = _("SPI finding")
        verbose_name_plural = _("SPI findings")
        ordering = ["result", "number"]
        constraints = [
            models.UniqueConstraint(fields=["result", "number"], name="surveys_finding_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


# --- The internal survey ------------------------------------------------------------------------


class Questionnaire(TenantModel):
    """A version of the Pemda's internal questionnaire. Published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scale = models.PositiveSmallIntegerField(
        _("answer scale"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(9)],
        help_text=_("Answers run from 1 (worst) to this number (best)."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "version"], name="surveys_questionnaire_v")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def get_absolute_url(self) -> str:
        return reverse(
            "surveys:questionnaire_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk}
        )


class Question(models.Model):
    """One statement of a questionnaire, answered on the questionnaire's scale."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    dimension = models.CharField(_("dimension"), max_length=32, choices=Dimension.choices)
    text = models.TextField(_("statement"))
    reverse_scored = models.BooleanField(
        _("reverse scored"),
        default=False,
        help_text=_("A statement about a bad practice: agreeing lowers the score."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="surveys_question_position"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Survey(TenantModel):
    """One run of the internal survey among the Pemda's employees."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, verbose_name=_("questionnaire")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    closes_on = models.DateField(_("closes on"), null=True, blank=True)

    class Meta:
        verbose_name = _("internal survey")
        verbose_name_plural = _("internal surveys")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class SurveyInvitation(TenantModel):
    """That an official was sent a token for a survey: never which token (see SurveyToken)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Sending failed")
        NO_EMAIL = "no_email", _("No e-mail address")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    official = models.ForeignKey("org.Official", on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "official"], name="surveys_invitation_once")
        ]


class SurveyToken(models.Model):
    """A single-use answering token: only its SHA-256 is kept, and no person is named.

    Tokens are written in a random order with random keys, in the same statement as the
    invitations, so neither their order nor their keys tell whose a token is. Using one flips
    ``used``; no time is recorded.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey token")
        verbose_name_plural = _("survey tokens")

    def __str__(self) -> str:
        return str(_("Survey token"))


class SurveyResponse(models.Model):
    """One set of answers: no token, no person, no time of day, no ordered key.

    The key is a random UUID (insertion order is not revealed by it), ``unit`` is the OPD (the
    top-level unit, never a sub-unit), ``submitted_on`` is the day only, and ``answers`` holds one
    digit per question in the questionnaire's order ("0" for a question left unanswered).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"))
    answers = models.CharField(_("answers"), max_length=200)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return str(_("Survey response"))
