"""Discipline cases under PP 94/2021: the configured obligations and prohibitions, the case (the
official, the provisions and the pact clause allegedly broken, its origin), its procedural steps
and the sanction decided. See docs/discipline.md."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel, TenantModel
from pakta.discipline.rules import SANCTIONS, Authority, Level, SanctionType


class Provision(BaseModel):
    """An obligation (Pasal 3, 4) or a prohibition (Pasal 5) of PP 94/2021, seeded; editable."""

    class Kind(models.TextChoices):
        OBLIGATION = "obligation", _("Obligation")
        PROHIBITION = "prohibition", _("Prohibition")

    code = models.CharField(_("code"), max_length=8, unique=True)  # "4e", "5g"
    article = models.PositiveSmallIntegerField(_("article (Pasal)"))
    letter = models.CharField(_("letter (huruf)"), max_length=2)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("PP 94/2021 provision")
        verbose_name_plural = _("PP 94/2021 provisions")
        ordering = ["article", "letter"]

    def __str__(self) -> str:
        return f"Pasal {self.article} huruf {self.letter}"

    @property
    def citation(self) -> str:
        return f"Pasal {self.article} huruf {self.letter} PP 94/2021"


class DisciplineCase(TenantModel):
    """One alleged violation by one official, from its origin to the sanction in force."""

    class Origin(models.TextChoices):
        REPORT = "report", _("Whistleblowing report")
        ACTION_ITEM = "action_item", _("Action-plan audit finding")
        GRATIFICATION = "gratification", _("Gratification (late or hidden)")
        CONFLICT = "conflict", _("Conflict-of-interest finding")
        PROCUREMENT = "procurement", _("Procurement case finding")
        MANUAL = "manual", _("Entered by hand")

    class Stage(models.TextChoices):
        OPENED = "opened", _("Opened: first summons due")
        SUMMONED = "summoned", _("Summoned")
        SUMMONED_AGAIN = "summoned_again", _("Summoned a second time")
        EXAMINED = "examined", _("Examined (BAP)")
        DECIDED = "decided", _("Decided: delivery due")
        DELIVERED = "delivered", _("Delivered: objection window")
        OBJECTION = "objection", _("Objection or appeal filed")
        FINAL = "final", _("Final")
        CLOSED = "closed", _("Closed without sanction")

    OPEN_STAGES = (
        Stage.OPENED,
        Stage.SUMMONED,
        Stage.SUMMONED_AGAIN,
        Stage.EXAMINED,
        Stage.DECIDED,
        Stage.DELIVERED,
        Stage.OBJECTION,
    )

    number = models.CharField(_("case number"), max_length=20)
    official = models.ForeignKey(
        "org.Official",
        on_delete=models.PROTECT,
        related_name="discipline_cases",
        verbose_name=_("official"),
    )
    position = models.ForeignKey(
        "org.Position",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("position at the time"),
    )
    # The OPD (top-level unit) the case counts for in the reports.
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
        related_name="+",
        verbose_name=_("direct superior"),
    )
    incident_date = models.DateField(_("date of the facts"))
    opened_on = models.DateField(_("opened on"))
    year = models.PositiveIntegerField(_("year"))
    summary = models.TextField(_("facts (confidential)"))
    provisions = models.ManyToManyField(
        Provision, related_name="cases", verbose_name=_("provisions allegedly broken")
    )
    pact = models.ForeignKey(
        "pacts.Pact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_cases",
        verbose_name=_("integrity pact"),
    )
    pact_clause = models.PositiveSmallIntegerField(_("pact clause broken"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    origin = models.CharField(_("origin"), max_length=14, choices=Origin.choices)
    origin_report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("whistleblowing report"),
    )
    origin_action_item = models.ForeignKey(
        "actionplans.ActionItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("action-plan finding"),
    )
    # Gratification, conflict and procurement origins until those apps land (docs/discipline.md).
    origin_ref = models.PositiveIntegerField(_("origin id"), null=True, blank=True)
    origin_label = models.CharField(_("origin reference"), max_length=200, blank=True)
    # Whether the reporter of the original report chose to disclose their identity; the case
    # never holds the identity itself.
    reporter_disclosed = models.BooleanField(default=False, editable=False)
    # "Same facts": one open case per key (official + origin, or official + date + provisions).
    facts_key = models.CharField(max_length=64, editable=False)
    is_open = models.BooleanField(default=True, editable=False)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.OPENED)
    stage_due = models.DateField(_("deadline of the stage"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    examiner = models.ForeignKey(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("examiner"),
    )
    team = models.ManyToManyField(
        "org.Official", blank=True, related_name="+", verbose_name=_("examination team")
    )
    bap = models.ForeignKey(
        "signing.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("examination record (BAP)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "facts_key"],
                condition=Q(is_open=True),
                name="discipline_one_open_case_per_facts",
            ),
            models.UniqueConstraint(fields=["pemda", "number"], name="discipline_case_number"),
            models.CheckConstraint(
                condition=Q(pact_clause__isnull=True) | Q(pact__isnull=False),
                name="discipline_clause_needs_pact",
            ),
        ]
        indexes = [
            models.Index(fields=["pemda", "stage"], name="discipline_pemda_stage"),
            models.Index(fields=["stage_due"], name="discipline_stage_due"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("discipline:case_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})

    @property
    def clause_text(self) -> str:
        if self.pact is None or not self.pact_clause:
            return ""
        clauses = self.pact.template.clauses
        if 1 <= self.pact_clause <= len(clauses):
            return str(clauses[self.pact_clause - 1])
        return ""

    @property
    def origin_display(self) -> str:
        if self.origin == self.Origin.REPORT and self.origin_report_id:
            return f"{self.get_origin_display()} {self.origin_report.reference}"  # type: ignore[union-attr]
        if self.origin == self.Origin.ACTION_ITEM and self.origin_action_item_id:
            return f"{self.get_origin_display()}: {self.origin_action_item}"
        label = self.origin_label or (f"#{self.origin_ref}" if self.origin_ref else "")
        return f"{self.get_origin_display()} {label}".strip()

    def is_late(self, today: dt.date) -> bool:
        return bool(self.is_open and self.stage_due and self.stage_due < today)


class CaseStep(TenantModel):
    """One step of the procedure, in time order: what was done, when, and its deadline."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        SUMMONS_1 = "summons_1", _("First summons (panggilan I)")
        SUMMONS_2 = "summons_2", _("Second summons (panggilan II)")
        ABSENT = "absent", _("Official absent at the hearing")
        TEAM = "team", _("Examination team formed")
        EXAMINATION = "examination", _("Examination recorded (BAP)")
        BAP_SIGNED = "bap_signed", _("Examination record signed")
        DECISION = "decision", _("Decision")
        DELIVERY = "delivery", _("Decision delivered")
        OBJECTION = "objection", _("Objection or appeal filed")
        OBJECTION_DECIDED = "objection_decided", _("Objection or appeal decided")
        FINAL = "final", _("Decision final")
        ESCALATED = "escalated", _("Escalated: superior did not act in time")
        CLOSED = "closed", _("Closed without sanction")

    case = models.ForeignKey(
        DisciplineCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case")
    )
    kind = models.CharField(_("step"), max_length=18, choices=Kind.choices)
    date = models.DateField(_("date"))
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    hearing_date = models.DateField(_("hearing date"), null=True, blank=True)
    reference = models.CharField(_("letter number"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    official = models.ForeignKey(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("official acting"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    @property
    def on_time(self) -> bool | None:
        return None if self.due_date is None else self.date <= self.due_date


class Sanction(TenantModel):
    """The decision (SK) of a case: its type and level, the authority, and its period in force."""

    class Status(models.TextChoices):
        DECIDED = "decided", _("Decided")
        IN_FORCE = "in_force", _("In force")
        ANNULLED = "annulled", _("Annulled on objection or appeal")

    case = models.OneToOneField(
        DisciplineCase, on_delete=models.PROTECT, related_name="sanction", verbose_name=_("case")
    )
    type = models.CharField(_("sanction"), max_length=16, choices=SanctionType.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    authority = models.CharField(_("deciding authority"), max_length=16, choices=Authority.choices)
    decided_by = models.ForeignKey(
        "org.Official", on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    reason = models.TextField(_("reason"))
    decision_number = models.CharField(_("decision number"), max_length=120)
    decision_date = models.DateField(_("decision date"))
    start_date = models.DateField(_("in force from"))
    end_date = models.DateField(_("in force until"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DECIDED
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    objection_until = models.DateField(_("objection window until"), null=True, blank=True)
    document = models.ForeignKey(
        "signing.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed decision"),
    )

    class Meta:
        verbose_name = _("discipline sanction")
        verbose_name_plural = _("discipline sanctions")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="discipline_sanction_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["pemda", "decision_number"], name="discipline_decision_number"
            ),
        ]
        indexes = [
            models.Index(fields=["level", "start_date", "end_date"], name="discipline_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.decision_number})"

    @property
    def effect(self) -> str:
        return SANCTIONS[self.type].effect

    @property
    def siasn_name(self) -> str:
        return SANCTIONS[self.type].siasn_name
