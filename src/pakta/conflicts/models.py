"""Conflict-of-interest declarations: the standing declaration of interests per official and
year, decisions (a procurement package or an HR decision) with the people who must declare for
the named tenderers or candidates, recusals, screening findings and known false positives."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import TenantModel


class StandingDeclaration(TenantModel):
    """One version of an official's declaration of interests for a year (or an appointment)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CORRECTION = "correction", _("Correction requested")
        SUPERSEDED = "superseded", _("Superseded by a newer version")

    class Reason(models.TextChoices):
        ANNUAL = "annual", _("Annual declaration")
        APPOINTMENT = "appointment", _("On appointment to a position")

    SECTIONS = ("relatives", "businesses", "positions", "debts_gifts")

    official = models.ForeignKey(
        "org.Official",
        on_delete=models.PROTECT,
        related_name="coi_declarations",
        verbose_name=_("official"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    reason = models.CharField(
        _("reason"), max_length=12, choices=Reason.choices, default=Reason.ANNUAL
    )
    position = models.ForeignKey(
        "org.Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position at the time"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Sections the official confirmed empty ("none"); a section neither filled nor confirmed
    # empty is a completeness finding.
    sections_none = models.JSONField(_("sections declared empty"), default=list, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous version"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    document = models.ForeignKey(
        "signing.SignedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed declaration"),
    )
    correction_note = models.TextField(_("correction requested"), blank=True)
    risk_score = models.DecimalField(_("risk score"), max_digits=7, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("declaration of interests")
        verbose_name_plural = _("declarations of interests")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "year", "reason", "version"], name="conflicts_decl_version"
            ),
        ]
        indexes = [models.Index(fields=["pemda", "year", "status"], name="conflicts_decl_year")]

    def __str__(self) -> str:
        return f"{self.official} {self.year} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse(
            "conflicts:declaration_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk}
        )

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    SIBLING_IN_LAW = "sibling_in_law", _("Sibling-in-law")
    CHILD_IN_LAW = "child_in_law", _("Child-in-law")
    OTHER = "other", _("Other relative")


class DeclaredRelative(TenantModel):
    declaration = models.ForeignKey(
        StandingDeclaration, on_delete=models.CASCADE, related_name="relatives"
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("declared relative")
        verbose_name_plural = _("declared relatives")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DeclaredBusiness(TenantModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner or shareholder")
        DIRECTOR = "director", _("Director")
        COMMISSIONER = "commissioner", _("Commissioner")
        ADVISOR = "advisor", _("Advisor")
        EMPLOYEE = "employee", _("Employee")

    declaration = models.ForeignKey(
        StandingDeclaration, on_delete=models.CASCADE, related_name="businesses"
    )
    # Empty: the official; else the relative who holds the interest.
    relative = models.ForeignKey(
        DeclaredRelative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("held by relative"),
    )
    company_name = models.CharField(_("company"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    share_percent = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("declared business interest")
        verbose_name_plural = _("declared business interests")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_percent__isnull=True)
                | models.Q(share_percent__gte=0, share_percent__lte=100),
                name="conflicts_share_0_100",
            )
        ]

    def __str__(self) -> str:
        return self.company_name


class DeclaredPosition(TenantModel):
    declaration = models.ForeignKey(
        StandingDeclaration, on_delete=models.CASCADE, related_name="positions"
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role or activity"), max_length=200)
    is_paid = models.BooleanField(_("paid"), default=False)

    class Meta:
        verbose_name = _("outside position")
        verbose_name_plural = _("outside positions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.role}, {self.organisation}"


class DeclaredDebtGift(TenantModel):
    class Kind(models.TextChoices):
        DEBT = "debt", _("Debt")
        GIFT = "gift", _("Gift")

    declaration = models.ForeignKey(
        StandingDeclaration, on_delete=models.CASCADE, related_name="debts_gifts"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    counterparty = models.CharField(_("creditor or giver"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("declared debt or gift")
        verbose_name_plural = _("declared debts and gifts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.counterparty}"


class Decision(TenantModel):
    """A decision that needs declarations: a procurement package or an HR decision."""

    class Kind(models.TextChoices):
        PROCUREMENT = "procurement", _("Procurement package")
        PROMOTION = "promotion", _("Promotion")
        MUTATION = "mutation", _("Transfer (mutasi)")
        JPT_SELECTION = "jpt", _("JPT selection")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=250)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The moment the package opened (announcement) or the selection started: a declaration
    # changed after it is a plausibility finding.
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    # The procurement package this decision mirrors (its committee and tenderers are copied in).
    package = models.OneToOneField(
        "procurement.Package",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coi_decision",
        verbose_name=_("procurement package"),
    )
    recorded_clean_at = models.DateTimeField(_("recorded clean at"), null=True, blank=True)
    risk_score = models.DecimalField(_("risk score"), max_digits=7, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse(
            "conflicts:decision_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk}
        )


class DecisionMember(TenantModel):
    """A person who must declare for a decision (Pokja member, PPK, panel member …)."""

    class Role(models.TextChoices):
        POKJA = "pokja", _("Pokja Pemilihan member")
        PPK = "ppk", _("PPK")
        PEJABAT_PENGADAAN = "pejabat_pengadaan", _("Pejabat Pengadaan")
        PPHP = "pphp", _("PPHP")
        PANEL = "panel", _("Selection committee member")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="members")
    official = models.ForeignKey(
        "org.Official", on_delete=models.PROTECT, related_name="+", verbose_name=_("official")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("decision member")
        verbose_name_plural = _("decision members")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "official", "role"], name="conflicts_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} ({self.get_role_display()})"


class DecisionSubject(TenantModel):
    """A tenderer (company, with its owners and directors as children) or a candidate."""

    class Kind(models.TextChoices):
        TENDERER = "tenderer", _("Tenderer")
        WINNER = "winner", _("Winner")
        CANDIDATE = "candidate", _("Candidate")
        OWNER = "owner", _("Owner")
        DIRECTOR = "director", _("Director")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="subjects")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="people"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_company = models.BooleanField(_("company"), default=False)
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    share_percent = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    official = models.ForeignKey(
        "org.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("official (candidate)"),
    )

    class Meta:
        verbose_name = _("tenderer or candidate")
        verbose_name_plural = _("tenderers and candidates")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DecisionDeclaration(TenantModel):
    """A member's declaration for a decision (one version; a change makes a new one)."""

    member = models.ForeignKey(
        DecisionMember, on_delete=models.CASCADE, related_name="declarations"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    has_conflict = models.BooleanField(_("conflict declared"), default=False)

    class Meta:
        verbose_name = _("decision declaration")
        verbose_name_plural = _("decision declarations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(is_current=True),
                name="conflicts_one_current_declaration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} v{self.version}"


class DecisionAnswer(TenantModel):
    class Relationship(models.TextChoices):
        NONE = "none", _("No relationship")
        FAMILY = "family", _("Family relation")
        BUSINESS = "business", _("Business interest")
        EMPLOYMENT = "employment", _("Past or present employment")
        OTHER = "other", _("Other relationship")

    declaration = models.ForeignKey(
        DecisionDeclaration, on_delete=models.CASCADE, related_name="answers"
    )
    subject = models.ForeignKey(DecisionSubject, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]


class Recusal(TenantModel):
    """A member stands aside from a decision because of a conflict; the substitute is recorded."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(DecisionMember, on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(DecisionMember, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["-created_at"]


class Finding(TenantModel):
    """A screening result: what was found, its evidence (Indonesian) and its score."""

    class Kind(models.TextChoices):
        COMPANY_TENDERER = "company_tenderer", _("Declared company is a tenderer")
        RELATIVE_TENDERER = "relative_tenderer", _("Relative owns or directs a tenderer")
        RELATIVE_CANDIDATE = "relative_candidate", _("Relative is a candidate")
        RELATIVE_SUPERVISED = "relative_supervised", _("Relative works under the official")
        SHARED_FAMILY_NAME = "shared_family_name", _("Shared family name with a candidate")
        VENDOR_OFFICIAL = "vendor_official", _("A tenderer's owner or director is an official")
        UNDECLARED = "undeclared", _("Relationship found but declared as none")
        MISSING_SECTION = "missing_section", _("Section left empty")
        MISSING_DECLARATION = "missing_declaration", _("Committee member has not declared")
        CHANGED_AFTER_OPEN = "changed_after_open", _("Declaration changed after the opening")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")
        CORRECTION = "correction", _("Correction requested")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    official = models.ForeignKey(
        "org.Official", on_delete=models.PROTECT, related_name="+", verbose_name=_("official")
    )
    declaration = models.ForeignKey(
        StandingDeclaration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="findings"
    )
    pair_key = models.CharField(max_length=200)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=3)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    explanation = models.TextField(_("explanation"))
    evidence = models.JSONField(_("evidence"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    review_reason = models.TextField(_("reviewer's reason"), blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-weight", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "pair_key"], name="conflicts_finding_pair")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("conflicts:finding_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})

    @property
    def risk(self) -> float:
        return float(self.weight) * float(self.score)


class KnownFalsePositive(TenantModel):
    """A pair the Inspektorat dismissed: screening does not flag it again."""

    pair_key = models.CharField(max_length=200)
    reason = models.TextField(_("reason"))
    dismissed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("known false positive")
        verbose_name_plural = _("known false positives")
        constraints = [
            models.UniqueConstraint(fields=["pemda", "pair_key"], name="conflicts_fp_pair")
        ]
