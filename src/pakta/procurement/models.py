"""Procurement packages (from OCDS or entered by hand), the organisations and people behind them,
their bids, awards and committees, the red flags computed on them and the Inspektorat's cases.

Issue 17 (conflicts of interest) reads: ``Package`` with its ``CommitteeMember`` rows (who of the
Pemda's officials sat on the Pokja / was PPK), ``Bid`` and ``Award`` (who tendered and who won),
``Party`` and ``PartyPerson`` (the companies and their owners, directors, commissioners and
beneficial owners, matched against declarations)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import TenantModel


class Method(models.TextChoices):
    """OCDS ``tender/procurementMethod`` codelist."""

    OPEN = "open", _("Open")
    SELECTIVE = "selective", _("Selective")
    LIMITED = "limited", _("Limited")
    DIRECT = "direct", _("Direct")


class Category(models.TextChoices):
    """OCDS ``tender/mainProcurementCategory`` codelist."""

    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    SERVICES = "services", _("Services")


def normalise_name(name: str) -> str:
    """A company or person name for matching: upper case, no punctuation, no legal form."""
    import re

    text = re.sub(r"[^0-9A-Z ]+", " ", name.upper())
    words = [w for w in text.split() if w not in {"PT", "CV", "UD", "TBK", "PERSERO", "KOPERASI"}]
    return " ".join(words)


class Party(TenantModel):
    """An organisation in the Pemda's procurement: a buyer or procuring entity (matched to one of
    Pakta's units when it is one), a tenderer or a supplier, with its identifiers."""

    class Scheme(models.TextChoices):
        NPWP = "ID-NPWP", _("NPWP (tax number)")
        NIB = "ID-NIB", _("NIB (business number)")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    normalized_name = models.CharField(_("normalised name"), max_length=300, db_index=True)
    identifier_scheme = models.CharField(_("identifier scheme"), max_length=40, blank=True)
    identifier = models.CharField(_("identifier"), max_length=100, blank=True)
    additional_identifiers = models.JSONField(_("other identifiers"), default=list, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    address = models.TextField(_("address"), blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procurement_parties",
        verbose_name=_("Pakta unit"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "identifier_scheme", "identifier"],
                condition=~models.Q(identifier=""),
                name="procurement_party_identifier_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.normalized_name = normalise_name(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("procurement:party_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class PartyPerson(TenantModel):
    """A person behind an organisation: owner, shareholder, director, commissioner or beneficial
    owner (OCDS beneficial owners / shareholders extensions, or entered by hand)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner / shareholder")
        DIRECTOR = "director", _("Director")
        COMMISSIONER = "commissioner", _("Commissioner")
        BENEFICIAL_OWNER = "beneficial_owner", _("Beneficial owner")
        SIGNATORY = "signatory", _("Contract signatory")

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="people", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    normalized_name = models.CharField(_("normalised name"), max_length=200, db_index=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    share_percent = models.DecimalField(
        _("share (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)

    class Meta:
        verbose_name = _("person behind an organisation")
        verbose_name_plural = _("people behind organisations")
        ordering = ["party", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.normalized_name = normalise_name(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Package(TenantModel):
    """A procurement package (paket pengadaan): one OCDS contracting process, or entered by hand."""

    class Source(models.TextChoices):
        OCDS = "ocds", _("OCDS import")
        MANUAL = "manual", _("Entered by hand")
        XLSX = "xlsx", _("Spreadsheet import")

    ocid = models.CharField(_("OCID"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    code = models.CharField(_("package code"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500)
    buyer = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procurement_bought",
        verbose_name=_("buyer unit"),
    )
    procuring_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procurement_procured",
        verbose_name=_("procuring unit"),
    )
    buyer_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    procuring_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    method_details = models.CharField(_("method details"), max_length=200, blank=True)
    main_category = models.CharField(
        _("main category"), max_length=10, choices=Category.choices, blank=True
    )
    hps_value = models.DecimalField(
        _("HPS (owner's estimate)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    pagu = models.DecimalField(
        _("pagu (budget)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(_("tender status"), max_length=20, blank=True)
    tender_start = models.DateTimeField(_("tender period start"), null=True, blank=True)
    tender_end = models.DateTimeField(_("tender period end"), null=True, blank=True)
    award_date = models.DateTimeField(_("award date"), null=True, blank=True)
    winner = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packages_won",
        verbose_name=_("winner"),
    )
    contract_value = models.DecimalField(
        _("contract value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    contract_signed = models.DateTimeField(_("contract signed"), null=True, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    first_amendment = models.DateTimeField(_("first contract amendment"), null=True, blank=True)
    release = models.JSONField(_("compiled release"), default=dict, blank=True)
    risk_score = models.FloatField(_("risk score"), default=0)

    class Meta:
        verbose_name = _("procurement package")
        verbose_name_plural = _("procurement packages")
        ordering = ["-risk_score", "-tender_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "ocid"],
                condition=~models.Q(ocid=""),
                name="procurement_package_ocid_unique",
            )
        ]
        indexes = [models.Index(fields=["pemda", "-risk_score"], name="procurement_pkg_risk")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "procurement:package_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk}
        )


class Bid(TenantModel):
    """A bid (penawaran) on a package by one tenderer."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        PENDING = "pending", _("Pending")
        DISQUALIFIED = "disqualified", _("Disqualified")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="bids", verbose_name=_("package")
    )
    tenderer = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="bids", verbose_name=_("tenderer")
    )
    amount = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["package", "amount", "pk"]

    def __str__(self) -> str:
        return f"{self.tenderer}: {self.amount}"


class Award(TenantModel):
    """An award (penetapan pemenang) of a package to one or more suppliers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="awards", verbose_name=_("package")
    )
    award_id = models.CharField(_("award id"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    date = models.DateTimeField(_("date"), null=True, blank=True)
    suppliers = models.ManyToManyField(Party, related_name="awards", verbose_name=_("suppliers"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["package", "pk"]

    def __str__(self) -> str:
        return self.award_id or str(self.pk)


class CommitteeMember(TenantModel):
    """An official of the Pemda in a role on a package: Pokja member, PPK, pejabat pengadaan or
    PPHP (the people whose declarations issue 17 screens against the tenderers)."""

    class Role(models.TextChoices):
        POKJA = "pokja", _("Pokja pemilihan member")
        PPK = "ppk", _("PPK (commitment-making official)")
        PEJABAT_PENGADAAN = "pejabat_pengadaan", _("Pejabat pengadaan")
        PPHP = "pphp", _("PPHP (handover examiner)")

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="committee", verbose_name=_("package")
    )
    official = models.ForeignKey(
        "org.Official",
        on_delete=models.PROTECT,
        related_name="procurement_roles",
        verbose_name=_("official"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["package", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "official", "role"], name="procurement_committee_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} ({self.get_role_display()})"


class Flag(TenantModel):
    """A red flag raised on a package by an indicator (Cardinal's R### or an Indonesian ID###).
    ``party`` is set when the indicator flags a tenderer, buyer or procuring entity of the
    package rather than the process itself."""

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="flags", verbose_name=_("package")
    )
    code = models.CharField(_("indicator"), max_length=8, db_index=True)
    value = models.FloatField(_("value"))
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["package", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.package_id}"


class OcdsImport(TenantModel):
    """An upload of OCDS data (JSON Lines), checked and applied by a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected: nothing was changed")
        FAILED = "failed", _("Failed: nothing was changed")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing: import only if every line is valid")
        GOOD_ROWS = "good", _("Import the valid lines and report the others")

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, verbose_name=_("uploaded by")
    )
    document = models.ForeignKey(
        "core.Document", on_delete=models.PROTECT, null=True, verbose_name=_("file")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    mode = models.CharField(
        _("mode"), max_length=4, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_lines = models.PositiveIntegerField(_("lines"), default=0)
    processed_lines = models.PositiveIntegerField(_("lines checked"), default=0)
    errors = models.JSONField(_("line errors"), default=list)
    summary = models.JSONField(_("summary"), default=dict)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("OCDS import")
        verbose_name_plural = _("OCDS imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse(
            "procurement:import_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk}
        )

    @property
    def percent(self) -> int:
        return int(100 * self.processed_lines / self.total_lines) if self.total_lines else 0


class Case(TenantModel):
    """The Inspektorat's examination of one package: questions to the procuring unit, answers,
    evidence, and a finding that closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Finding(models.TextChoices):
        NO_ISSUE = "no_issue", _("No issue")
        ADMINISTRATIVE = "administrative", _("Administrative fix")
        REFERRAL = "referral", _("Referred to APIP audit")

    package = models.OneToOneField(
        Package, on_delete=models.PROTECT, related_name="case", verbose_name=_("package")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    opened_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.package)

    def get_absolute_url(self) -> str:
        return reverse("procurement:case_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class CaseEntry(TenantModel):
    """One step of a case: a question, an answer, a piece of evidence or a note."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        ANSWER = "answer", _("Answer")
        EVIDENCE = "evidence", _("Evidence")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="entries", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"))
    document = models.ForeignKey(
        "core.Document", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("file")
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )

    class Meta:
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
