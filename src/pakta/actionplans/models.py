"""Action plans that follow up a KPK letter, an SPI finding or an internal survey result, their
action items, the progress owners report with evidence, and the inspektorat's verification."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel, TenantModel
from pakta.surveys.models import Dimension


class RecommendedAction(BaseModel):
    """An action from the library of recommended actions per weak dimension (seeded)."""

    dimension = models.CharField(_("dimension"), max_length=32, choices=Dimension.choices)
    title = models.TextField(_("action"))
    required_output = models.CharField(_("required output"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("recommended action")
        verbose_name_plural = _("recommended actions")
        ordering = ["dimension", "pk"]

    def __str__(self) -> str:
        return self.title[:80]


class ActionPlan(TenantModel):
    """A plan answering one source: a KPK letter, an SPI finding or an internal survey."""

    class Source(models.TextChoices):
        KPK_LETTER = "kpk_letter", _("KPK letter")
        SPI_FINDING = "spi_finding", _("SPI finding")
        INTERNAL_SURVEY = "internal_survey", _("Internal survey result")

    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    letter_number = models.CharField(_("letter number"), max_length=120, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    finding = models.ForeignKey(
        "surveys.SpiFinding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("SPI finding"),
    )
    survey = models.ForeignKey(
        "surveys.Survey",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("internal survey"),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, verbose_name=_("created by")
    )
    report = models.ForeignKey(
        "signing.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest signed report"),
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="kpk_letter")
                | (~models.Q(letter_number="") & models.Q(letter_date__isnull=False)),
                name="actionplans_letter_has_number_and_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="spi_finding") | models.Q(finding__isnull=False),
                name="actionplans_finding_source",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="internal_survey") | models.Q(survey__isnull=False),
                name="actionplans_survey_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplans:plan_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class ActionItem(TenantModel):
    """One action: who does it, by when, and what evidence shows it done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Awaiting verification")
        RETURNED = "returned", _("Returned for correction")
        DONE = "done", _("Done (verified)")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    recommendation = models.TextField(_("recommendation answered"), blank=True)
    finding = models.ForeignKey(
        "surveys.SpiFinding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("SPI finding"),
    )
    dimension = models.CharField(
        _("dimension"), max_length=32, choices=Dimension.choices, blank=True
    )
    title = models.TextField(_("action"))
    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner unit")
    )
    owner = models.ForeignKey(
        "org.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person in charge"),
    )
    due_date = models.DateField(_("due date"))
    required_output = models.CharField(_("required output (evidence)"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["pemda", "status", "due_date"], name="actionplans_item_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(verified_at__isnull=False),
                name="actionplans_done_is_verified",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    def get_absolute_url(self) -> str:
        return reverse("actionplans:item_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_late(self, today: object) -> bool:
        return not self.is_done and self.due_date < today  # type: ignore[operator]


class ActionProgress(TenantModel):
    """A progress report on an item, or a verification decision (``kind``), in time order."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        SUBMITTED = "submitted", _("Submitted for verification")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="progress", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, verbose_name=_("author")
    )
    evidence = models.ManyToManyField(
        "core.Document", blank=True, related_name="+", verbose_name=_("evidence files")
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.note[:60]}"
