"""Gratification control: reports of gifts received or refused, the dated rules that say which
gifts are exempt (Perkom KPK 2/2019 as amended by Perkom 1/2026), the UPG's review steps, the
custody register and the giver register the UPG keeps for cross-checks."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel, TenantModel


class Relationship(models.TextChoices):
    FAMILY = "family", _("Family")
    VENDOR = "vendor", _("Vendor or provider of goods/services")
    SERVICE_USER = "service_user", _("Service user")
    AUDITEE = "auditee", _("Auditee")
    COLLEAGUE = "colleague", _("Colleague")
    UNKNOWN = "unknown", _("Unknown")


class GiftKind(models.TextChoices):
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    VOUCHER = "voucher", _("Voucher")
    DISCOUNT = "discount", _("Discount")
    TRAVEL = "travel", _("Travel")
    LODGING = "lodging", _("Lodging")
    FOOD = "food", _("Food")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class ExemptCategory(models.TextChoices):
    """The exempt categories of Perkom 2/2019 Pasal 2(3); their limits live in the rules."""

    FAMILY = "family", _("Gift from family without conflict of interest")
    INVESTMENT = "investment", _("Returns on deposits, investments or shares open to everyone")
    COOPERATIVE = "cooperative", _("Cooperative or staff-association benefit by membership")
    TRAINING_KIT = "training_kit", _("Seminar or training kit given to all participants")
    PROMOTIONAL = "promotional", _("Promotional item with a logo, of reasonable value")
    COMPETITION = "competition", _("Prize of a self-funded competition unrelated to duty")
    AWARD = "award", _("Government award for work performance")
    PUBLIC_DISCOUNT = "public_discount", _("Discount, voucher or points available to everyone")
    PROFESSIONAL_FEE = "professional_fee", _("Fee for professional work outside official duty")
    HONORARIUM = "honorarium", _("Official honorarium or travel at standard rates")
    FLOWER_BOARD = "flower_board", _("Congratulatory flower board")
    FOOD_SERVED = "food_served", _("Food served to everyone")
    CEREMONY = "ceremony", _("Gift at a wedding, birth or other religious/customary ceremony")
    COLLEAGUE = "colleague", _("Non-cash gift between colleagues")
    FAREWELL = "farewell", _("Gift between colleagues for farewell, retirement or promotion")
    DISASTER = "disaster", _("Help after a disaster suffered by the recipient or family")


class GratificationRule(BaseModel):
    """One dated rule for one exempt category: the row with the latest ``effective_from`` on or
    before the day a gift was received applies. Added by the superadmin (`services.rule_add`)."""

    category = models.CharField(_("category"), max_length=20, choices=ExemptCategory.choices)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("legal source"), max_length=200)
    removed = models.BooleanField(
        _("category removed"),
        default=False,
        help_text=_("From this date the category no longer exempts."),
    )
    per_giver_limit = models.PositiveBigIntegerField(
        _("limit per giver (Rp)"), null=True, blank=True
    )
    per_year_limit = models.PositiveBigIntegerField(
        _("limit per year from the same giver (Rp)"), null=True, blank=True
    )
    non_cash_only = models.BooleanField(_("non-cash only"), default=False)
    relationships = models.JSONField(
        _("giver relationships it applies to"),
        default=list,
        blank=True,
        help_text=_("Empty: any relationship."),
    )
    note = models.TextField(_("condition"), blank=True)

    class Meta:
        verbose_name = _("gratification rule")
        verbose_name_plural = _("gratification rules")
        ordering = ["category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="gratification_rule_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.source}, {self.effective_from})"


class GratificationSettings(TenantModel):
    """A Pemda's own internal deadlines (working days)."""

    days_to_upg = models.PositiveSmallIntegerField(
        _("working days from receipt to report to the UPG"), default=10
    )
    days_upg_to_kpk = models.PositiveSmallIntegerField(
        _("working days for the UPG to forward to KPK"), default=10
    )

    class Meta:
        verbose_name = _("gratification settings")
        verbose_name_plural = _("gratification settings")
        constraints = [
            models.UniqueConstraint(fields=["pemda"], name="gratification_settings_one_per_pemda")
        ]


class GratificationReport(TenantModel):
    class Type(models.TextChoices):
        RECEIVED = "received", _("Received")
        REFUSED = "refused", _("Refused")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted (diajukan)")
        RETURNED = "returned", _("Returned: incomplete")
        ANALYSIS = "analysis", _("UPG analysis")
        FORWARDED = "forwarded", _("Forwarded to KPK")
        INTERNAL = "internal", _("To be determined by the UPG")
        DECIDED = "decided", _("Determined (ketetapan)")
        CLOSED = "closed", _("Closed (selesai)")
        NOT_PROCESSED = "not_processed", _("Cannot be processed")

    class Location(models.TextChoices):
        RECIPIENT = "recipient", _("With the recipient")
        UPG = "upg", _("Handed to the UPG")
        KPK = "kpk", _("Handed to KPK")
        NONE = "none", _("Not received (refused)")

    class Decision(models.TextChoices):
        STATE = "state", _("State property (milik negara)")
        RECIPIENT = "recipient", _("Property of the recipient (milik penerima)")
        NOT_PROCESSABLE = "not_processable", _("Cannot be followed up")

    class Assessment(models.TextChoices):
        MUST_REPORT = "must_report", _("Must be reported")
        MAY_BE_EXEMPT = "may_be_exempt", _("May be exempt")
        MUST_REFUSE = "must_refuse", _("Exempt category, but must be refused")

    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    type = models.CharField(_("report of a gift"), max_length=10, choices=Type.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED
    )
    reporter = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    recipient = models.ForeignKey(
        "org.Official", on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    recipient_nip = models.CharField(_("NIP"), max_length=18)
    recipient_name = models.CharField(_("recipient's name"), max_length=200)
    recipient_position = models.CharField(_("position"), max_length=200, blank=True)
    recipient_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    recipient_unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    giver_name = models.CharField(_("giver's name"), max_length=200)
    giver_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    giver_organisation = models.CharField(_("giver's organisation"), max_length=200, blank=True)
    giver_identifier = models.CharField(
        _("giver's identifier (NIK/NPWP/NIB)"), max_length=40, blank=True
    )
    relationship = models.CharField(
        _("relationship to the giver"), max_length=14, choices=Relationship.choices
    )
    vendor_active_contract = models.BooleanField(
        _("the giver has an active contract with my unit"), default=False
    )
    occasion = models.CharField(_("occasion"), max_length=300)
    exempt_category = models.CharField(
        _("exempt category claimed"), max_length=20, choices=ExemptCategory.choices, blank=True
    )
    received_on = models.DateField(_("date received or offered"))
    place = models.CharField(_("place"), max_length=300)
    kind = models.CharField(_("kind of gift"), max_length=10, choices=GiftKind.choices)
    description = models.CharField(_("what the gift is"), max_length=300)
    value = models.PositiveBigIntegerField(_("estimated value (Rp)"))
    location = models.CharField(
        _("where the object is now"), max_length=10, choices=Location.choices
    )
    chronology = models.TextField(_("chronology"))
    evidence = models.ManyToManyField(
        "core.Document", blank=True, related_name="+", verbose_name=_("evidence files")
    )
    compensation_requested = models.BooleanField(
        _("I ask for compensation (keep the item by paying its value)"), default=False
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    assessment = models.CharField(
        _("assessment"), max_length=14, choices=Assessment.choices, default=Assessment.MUST_REPORT
    )
    assessment_reason = models.TextField(_("why"), blank=True)
    flags = models.JSONField(_("cross-check flags"), default=list, blank=True)
    # Deadlines (working days), fixed when filed.
    reported_on = models.DateField(_("reported on"))
    kpk_due = models.DateField(_("due at KPK (30 working days)"))
    upg_due = models.DateField(_("due at the UPG"))
    forward_due = models.DateField(_("UPG forwards by"))
    late = models.BooleanField(_("reported late"), default=False)
    # Completeness.
    missing = models.TextField(_("what is missing"), blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    completeness_due = models.DateField(_("complete by"), null=True, blank=True)
    # Analysis checklist.
    related_to_position = models.BooleanField(_("related to the position"), null=True)
    contrary_to_duty = models.BooleanField(_("contrary to duty"), null=True)
    exempt_confirmed = models.BooleanField(_("in an exempt category"), null=True)
    appraised_value = models.PositiveBigIntegerField(
        _("value appraised by the UPG (Rp)"), null=True, blank=True
    )
    analysis_note = models.TextField(_("analysis"), blank=True)
    # KPK and decision.
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    kpk_number = models.CharField(_("KPK report number"), max_length=80, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_by_kpk = models.BooleanField(_("decided by KPK"), default=False)
    decision_letter_number = models.CharField(
        _("decision letter number"), max_length=120, blank=True
    )
    decision_letter_date = models.DateField(_("decision letter date"), null=True, blank=True)
    decision_letter = models.ForeignKey(
        "core.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision letter"),
    )
    delivery_due = models.DateField(_("deliver the decision by"), null=True, blank=True)
    # Execution.
    execution = models.CharField(_("execution"), max_length=14, blank=True)
    execution_proof = models.ForeignKey(
        "core.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proof"),
    )
    compensation_value = models.PositiveBigIntegerField(
        _("compensation paid (Rp)"), null=True, blank=True
    )
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    recap = models.ForeignKey(
        "signing.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed recap"),
    )
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("gratification report")
        verbose_name_plural = _("gratification reports")
        ordering = ["-reported_on", "-pk"]
        indexes = [
            models.Index(fields=["pemda", "status", "kpk_due"], name="gratification_report_due"),
            models.Index(fields=["recipient", "giver_key"], name="gratification_report_giver"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gt=0), name="gratification_value_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(decision="") | ~models.Q(decision_letter_number=""),
                name="gratification_decision_has_letter",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("gratification:detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.NOT_PROCESSED)


STEP_LABELS = {
    "filed": _("Filed"),
    "returned": _("Returned as incomplete"),
    "completed": _("Completed by the reporter"),
    "verified": _("Verified as complete"),
    "expired": _("Not completed within 20 working days"),
    "analysed": _("Analysed by the UPG"),
    "forwarded": _("Forwarded to KPK"),
    "decided": _("Status determined"),
    "executed": _("Decision carried out"),
}


class ReportStep(TenantModel):
    """One step of the workflow, in time order (the audit chain holds the same events)."""

    report = models.ForeignKey(GratificationReport, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=30)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def label(self) -> str:
        return str(STEP_LABELS.get(self.step, self.step))


class CustodyItem(TenantModel):
    """An item handed to the UPG, held until its status is decided, then released."""

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        DAMAGED = "damaged", _("Damaged")
        PERISHABLE = "perishable", _("Perishable")

    report = models.ForeignKey(
        GratificationReport,
        on_delete=models.PROTECT,
        related_name="custody",
        verbose_name=_("report"),
    )
    description = models.CharField(_("item"), max_length=300)
    received_from = models.CharField(_("received from"), max_length=200)
    received_on = models.DateField(_("received on"))
    storage = models.CharField(_("where stored"), max_length=200)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    photos = models.ManyToManyField(
        "core.Document", blank=True, related_name="+", verbose_name=_("photos")
    )
    released_to = models.CharField(_("released to"), max_length=200, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    release_receipt = models.ForeignKey(
        "core.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt"),
    )
    distribution_report = models.TextField(_("distribution report (perishable food)"), blank=True)

    class Meta:
        verbose_name = _("item in custody")
        verbose_name_plural = _("custody register")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("gratification:custody", kwargs={"pemda": self.pemda.slug})


class GiverEntry(TenantModel):
    """A party the UPG watches: a vendor with an active contract, or a party in an open case."""

    class Kind(models.TextChoices):
        VENDOR = "vendor", _("Vendor with an active contract")
        CASE_PARTY = "case_party", _("Party in an open whistleblowing case")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    identifier = models.CharField(_("identifier (NIK/NPWP/NIB)"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit with the contract"),
    )
    valid_until = models.DateField(_("contract or case open until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("giver register entry")
        verbose_name_plural = _("giver register")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("gratification:givers", kwargs={"pemda": self.pemda.slug})


class QuarterlyRecap(TenantModel):
    """The UPG's signed quarterly recap to the regional head (the latest signing counts)."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    document = models.ForeignKey(
        "signing.SignedDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed recap"),
    )

    class Meta:
        verbose_name = _("quarterly recap")
        verbose_name_plural = _("quarterly recaps")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "year", "quarter"], name="gratification_quarter_unique"
            )
        ]
