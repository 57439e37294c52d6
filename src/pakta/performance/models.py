"""Perjanjian Kinerja: agreements between an official and their superior, with strategic goals,
indicators, quarterly targets, programmes, realizations with evidence, and the aggregates that
dashboards read (see docs/performance.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import TenantModel

if TYPE_CHECKING:
    from pakta.org.models import Pemda

QUARTERS = (1, 2, 3, 4)
QUARTER_LABELS = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


REVISION_TRIGGERS = [
    ("assignment", _("Change of position")),
    ("programme", _("Change of programme or activity")),
    ("budget", _("Change of budget allocation")),
    ("priority", _("Change of priorities or assumptions")),
    ("other", _("Other")),
]


class Polarity(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    RANGE = "range", _("Within a range")


class BudgetCalendar(TenantModel):
    """The date the Pemda's budget execution documents (DPA) were issued for a year."""

    year = models.PositiveIntegerField(_("year"))
    dpa_date = models.DateField(_("DPA date"))

    class Meta:
        verbose_name = _("budget calendar")
        verbose_name_plural = _("budget calendars")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "year"], name="performance_calendar_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.dpa_date}"


class PerformanceAgreement(TenantModel):
    """One version of an official's Perjanjian Kinerja for a year.

    The first party is the official; the second party their superior (the regional head for a
    Kepala OPD). A revision (PK Perubahan) is a new version linked to the one it revises; the
    earlier version keeps its signed document. ``is_current`` marks the version that counts.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved, awaiting signatures")
        SIGNED = "signed", _("Signed")
        SUPERSEDED = "superseded", _("Superseded by a revision")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    official = models.ForeignKey(
        "org.Official",
        on_delete=models.PROTECT,
        related_name="performance_agreements",
        verbose_name=_("first party"),
    )
    position = models.ForeignKey(
        "org.Position",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("position"),
    )
    position_title = models.CharField(_("position of the first party"), max_length=250, blank=True)
    # The OPD (top-level unit) the agreement counts for in roll-ups and unit scopes.
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    superior = models.ForeignKey(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="performance_agreements_as_superior",
        verbose_name=_("second party"),
    )
    superior_title = models.CharField(_("position of the second party"), max_length=250, blank=True)
    year = models.PositiveIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_current = models.BooleanField(_("current version"), default=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    first_party_signed_at = models.DateTimeField(
        _("signed by the first party"), null=True, blank=True
    )
    signed_at = models.DateTimeField(_("signed by both parties"), null=True, blank=True)
    revision_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("revision of"),
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    revision_trigger = models.CharField(
        _("cause of the revision"),
        max_length=12,
        blank=True,
        choices=REVISION_TRIGGERS,
    )
    trigger_assignment = models.ForeignKey(
        "org.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("position assignment that caused the revision"),
    )
    document = models.OneToOneField(
        "signing.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="performance_agreement",
        verbose_name=_("signed document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("performance agreement")
        verbose_name_plural = _("performance agreements")
        ordering = ["-year", "official__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "year", "version"], name="performance_agreement_version"
            ),
            models.UniqueConstraint(
                fields=["official", "year"],
                condition=Q(is_current=True),
                name="performance_agreement_one_current",
            ),
        ]
        indexes = [
            # Covers the counts of the dashboards and the register (indicators of the signed
            # agreements, overdue agreements) without reading the rows.
            models.Index(
                fields=["pemda", "year", "status", "is_current", "due_date"],
                name="performance_agr_current",
            ),
            # The register's agreements of a year counted per unit from the index alone
            # (selectors.agreement_register_page: a page sorts only the units it falls in).
            models.Index(
                fields=["pemda", "year", "unit", "is_current"], name="performance_agr_year_unit"
            ),
            # One OPD's agreements of a year (the cascade tree, one OPD at a time).
            models.Index(fields=["unit", "year", "is_current"], name="performance_agr_unit_year"),
            # The agreements that can be overdue (current, not signed): on PostgreSQL a Kepala
            # OPD's dashboard counts and lists its scope's overdue agreements by this index,
            # without reading the scope's signed ones (selectors.overdue_filter; SQLite cannot
            # match the bound status parameters to the condition and uses the unit's index).
            models.Index(
                fields=["unit", "year", "due_date", "pemda"],
                name="performance_agr_overdue",
                condition=models.Q(is_current=True)
                & ~models.Q(status__in=["signed", "superseded"]),
            ),
            models.Index(fields=["superior", "status"], name="performance_agr_superior"),
        ]

    def __str__(self) -> str:
        return f"PK {self.year} v{self.version} — {self.official}"

    def get_absolute_url(self) -> str:
        return reverse(
            "performance:agreement_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk}
        )

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None


class Goal(models.Model):
    """A strategic goal (sasaran strategis) of an agreement."""

    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="goals"
    )
    name = models.CharField(_("strategic goal"), max_length=500)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def pemda(self) -> Pemda:
        return self.agreement.pemda


class Indicator(models.Model):
    """A performance indicator of a goal: unit of measure, polarity, annual target and weight.

    A range target is ``target`` (lower bound) to ``target_upper``; a single target leaves
    ``target_upper`` empty.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("performance indicator"), max_length=500)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60)
    polarity = models.CharField(
        _("polarity"), max_length=6, choices=Polarity.choices, default=Polarity.HIGHER
    )
    target = models.DecimalField(
        _("annual target"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    target_upper = models.DecimalField(
        _("upper bound of the annual target"),
        null=True,
        blank=True,
        max_digits=20,
        decimal_places=4,
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    cascaded_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cascaded_to",
        verbose_name=_("cascaded from"),
    )
    # The indicator of the earlier version this one was copied from by a revision.
    revised_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("performance indicator")
        verbose_name_plural = _("performance indicators")
        ordering = ["goal__order", "goal_id", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def pemda(self) -> Pemda:
        return self.agreement.pemda


class QuarterTarget(models.Model):
    """The target of an indicator for one quarter (TW I-IV)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    target = models.DecimalField(
        _("target"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    target_upper = models.DecimalField(
        _("upper bound"), null=True, blank=True, max_digits=20, decimal_places=4
    )

    class Meta:
        verbose_name = _("quarterly target")
        verbose_name_plural = _("quarterly targets")
        ordering = ["indicator_id", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="performance_qt_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="performance_qt_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{QUARTER_LABELS[self.quarter]}: {self.target}"


class Programme(models.Model):
    """A programme of the agreement with its budget (Rp)."""

    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("programme"), max_length=500)
    budget = models.DecimalField(
        _("budget (Rp)"),
        max_digits=18,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def pemda(self) -> Pemda:
        return self.agreement.pemda


class Realization(TenantModel):
    """The value an official reports for an indicator in a quarter, with evidence."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned for correction")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="realizations")
    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="realizations"
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.DecimalField(_("realization"), max_digits=20, decimal_places=4)
    note = models.TextField(_("explanation"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("realization")
        verbose_name_plural = _("realizations")
        ordering = ["indicator_id", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "quarter"], name="performance_realization_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="performance_real_quarter"
            ),
        ]
        indexes = [
            models.Index(fields=["pemda", "status"], name="performance_real_status"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {QUARTER_LABELS.get(self.quarter, self.quarter)}: {self.value}"

    @property
    def quarter_label(self) -> str:
        return QUARTER_LABELS[self.quarter]


class EvidenceFile(models.Model):
    """A file supporting a realization, kept in the content-addressed document store."""

    realization = models.ForeignKey(Realization, on_delete=models.CASCADE, related_name="evidence")
    document = models.ForeignKey("core.Document", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def pemda(self) -> Pemda:
        return self.realization.pemda


# --- Aggregates kept up to date by the services --------------------------------------------------


class AchievementFigures(models.Model):
    """Additive achievement figures: sums of weight x capaian and of weights, and counts.

    The weighted achievement of any group is ``weighted_sum / weight_total``; sums of groups are
    the figures of their union, so roll-ups only add.
    """

    weighted_sum = models.DecimalField(max_digits=24, decimal_places=4, default=Decimal("0"))
    weight_total = models.DecimalField(max_digits=20, decimal_places=4, default=Decimal("0"))
    measured = models.IntegerField(default=0)  # indicators with a verified achievement
    below_target = models.IntegerField(default=0)  # of those, with capaian below 100
    submitted = models.IntegerField(default=0)  # realizations awaiting verification
    verified = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    FIGURES = (
        "weighted_sum",
        "weight_total",
        "measured",
        "below_target",
        "submitted",
        "verified",
        "returned",
        "late",
    )

    class Meta:
        abstract = True

    @property
    def achievement(self) -> Decimal | None:
        if not self.weight_total:
            return None
        return (Decimal(self.weighted_sum) / Decimal(self.weight_total)).quantize(Decimal("0.01"))


class AgreementAchievement(AchievementFigures):
    """The figures of one current agreement in one quarter (the unit-level dashboard's rows)."""

    pemda = models.ForeignKey("org.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="achievements"
    )
    year = models.PositiveIntegerField()
    quarter = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "quarter"], name="performance_agr_achievement_unique"
            )
        ]
        indexes = [
            models.Index(fields=["pemda", "year", "unit"], name="performance_agrach_unit"),
            # The dashboard's "below target" list: the agreements of a quarter with indicators
            # below target, lowest achievement first, read from the index alone.
            models.Index(
                fields=[
                    "pemda",
                    "year",
                    "quarter",
                    "unit",
                    "below_target",
                    "weight_total",
                    "weighted_sum",
                    "agreement",
                ],
                name="performance_agrach_below",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.quarter}"


class AchievementRollup(AchievementFigures):
    """The figures of a unit (OPD) in a quarter: the sum of its agreements' rows.

    A Pemda-level dashboard reads one row per unit and quarter (a few hundred rows).
    """

    pemda = models.ForeignKey("org.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    quarter = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "unit", "year", "quarter"], name="performance_rollup_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "pemda"], name="performance_rollup_year")]

    def __str__(self) -> str:
        return f"{self.pemda_id}/{self.unit_id}/{self.year}/{self.quarter}"


class AgreementCount(models.Model):
    """Current agreements per Pemda, unit and year by status, kept up to date by the services."""

    pemda = models.ForeignKey("org.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    draft = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    approved = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "unit", "year"], name="performance_count_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "pemda"], name="performance_count_year")]

    def __str__(self) -> str:
        return f"{self.pemda_id}/{self.unit_id}/{self.year}"

    @property
    def not_signed(self) -> int:
        return self.draft + self.submitted + self.returned + self.approved
