"""Integrity-pact templates, signing events (ceremonies) and the pacts officials sign."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import TenantModel

# PermenPAN-RB 49/2011, Lampiran: the seven commitments (see docs/pacts.md for the sources).
DEFAULT_CLAUSES = [
    "berperan secara pro aktif dalam upaya pencegahan dan pemberantasan Korupsi, Kolusi, dan Nepotisme "
    "serta tidak melibatkan diri dalam perbuatan tercela;",
    "tidak meminta atau menerima pemberian secara langsung atau tidak langsung berupa suap, hadiah, "
    "bantuan, atau bentuk lainnya yang tidak sesuai dengan ketentuan yang berlaku;",
    "bersikap transparan, jujur, obyektif, dan akuntabel dalam melaksanakan tugas;",
    "menghindari pertentangan kepentingan (conflict of interest) dalam pelaksanaan tugas;",
    "memberi contoh dalam kepatuhan terhadap peraturan perundang-undangan dalam melaksanakan tugas, "
    "terutama kepada pegawai yang berada di bawah pengawasan saya dan sesama pegawai di lingkungan kerja "
    "saya secara konsisten;",
    "akan menyampaikan informasi penyimpangan integritas di {instansi} serta turut menjaga kerahasiaan "
    "saksi atas pelanggaran peraturan yang dilaporkannya;",
    "bila saya melanggar hal-hal tersebut di atas, saya siap menghadapi konsekuensinya.",
]


class PactTemplate(TenantModel):
    """A version of a Pemda's pact text. Published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=150, default="Pakta Integritas")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("document title"), max_length=150, default="PAKTA INTEGRITAS")
    opening = models.TextField(_("opening"), default="Saya yang bertanda tangan di bawah ini:")
    statement = models.TextField(
        _("statement"),
        default="Dalam rangka mewujudkan pemerintahan yang bersih dan bebas dari Korupsi, Kolusi dan "
        "Nepotisme, dengan ini menyatakan bahwa saya:",
    )
    clauses = models.JSONField(_("commitments"), default=list)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pact template")
        verbose_name_plural = _("pact templates")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "version"], name="pacts_template_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def get_absolute_url(self) -> str:
        return reverse("pacts:template_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class SigningEvent(TenantModel):
    """A signing ceremony (acara penandatanganan) with a leader, participants and witnesses."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for signing")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    occasion = models.CharField(_("occasion"), max_length=300, blank=True)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, help_text=_("e.g. Aula Krakatau"))
    year = models.PositiveIntegerField(_("year of the commitment"))
    leader = models.ForeignKey(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leader"),
    )
    leader_title = models.CharField(
        _("leader's title"), max_length=150, blank=True, help_text=_("e.g. Bupati Lampung Selatan")
    )
    template = models.ForeignKey(
        PactTemplate, on_delete=models.PROTECT, verbose_name=_("template version")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    # The Berita Acara Penandatanganan, made when the event is closed and signed by the leader
    # and every witness (``pacts.ceremony``).
    record = models.OneToOneField(
        "signing.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ceremony_event",
        verbose_name=_("ceremony record"),
    )

    class Meta:
        verbose_name = _("signing event")
        verbose_name_plural = _("signing events")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pacts:event_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class EventWitness(models.Model):
    """A witness of an event: an official of the Pemda, or an external stakeholder."""

    event = models.ForeignKey(SigningEvent, on_delete=models.CASCADE, related_name="witnesses")
    official = models.ForeignKey(
        "org.Official", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    is_external = models.BooleanField(_("external stakeholder"), default=False)
    # Where an external witness receives the one-time link to sign the ceremony record.
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("event witness")
        ordering = ["is_external", "name"]

    def __str__(self) -> str:
        return self.name


class WitnessLink(models.Model):
    """A one-time link e-mailed to an external witness to sign the ceremony record, confirmed by
    a one-time code sent on request. Only hashes of the token and the code are stored."""

    witness = models.ForeignKey(EventWitness, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link of witness {self.witness_id}"


class Pact(TenantModel):
    """One official's integrity pact for a year, from an event or a new position assignment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not yet signed")
        SIGNED = "signed", _("Signed")
        EXCUSED = "excused", _("Excused")

    class Origin(models.TextChoices):
        EVENT = "event", _("Signing event")
        ASSIGNMENT = "assignment", _("New position")
        ANNUAL = "annual", _("Annual renewal")

    official = models.ForeignKey(
        "org.Official", on_delete=models.PROTECT, related_name="pacts", verbose_name=_("official")
    )
    position = models.ForeignKey(
        "org.Position",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("position"),
    )
    # The top-level unit (OPD) the pact counts for in compliance figures.
    unit = models.ForeignKey(
        "org.Unit", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    witness = models.ForeignKey(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="witnessed_pacts",
        verbose_name=_("witness"),
    )
    year = models.PositiveIntegerField(_("year"))
    template = models.ForeignKey(
        PactTemplate, on_delete=models.PROTECT, verbose_name=_("template version")
    )
    event = models.ForeignKey(
        SigningEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pacts",
        verbose_name=_("event"),
    )
    assignment = models.OneToOneField(
        "org.Assignment", null=True, blank=True, on_delete=models.PROTECT, related_name="pact"
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    excused_reason = models.CharField(_("reason excused"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"))
    document = models.OneToOneField(
        "signing.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pact",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # Reminders are sent at most once a day per pact (see pacts_remind).
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("integrity pact")
        verbose_name_plural = _("integrity pacts")
        ordering = ["-year", "official__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "official"],
                condition=Q(event__isnull=False),
                name="pacts_one_per_event_official",
            ),
        ]
        indexes = [
            models.Index(fields=["pemda", "year", "status"], name="pacts_pact_pemda_year_status"),
            # The list's pacts counted per unit from the index alone (selectors.pact_list_page:
            # a page sorts only the units it falls in).
            models.Index(fields=["pemda", "unit", "year", "status"], name="pacts_pact_pemda_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.official} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("pacts:pact_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class ComplianceCount(models.Model):
    """Signed, pending and excused pacts per Pemda, unit and year, kept up to date by the services.

    Dashboards read these rows instead of counting pacts (see docs/dashboards.md).
    """

    pemda = models.ForeignKey("org.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    pending = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)
    excused = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "unit", "year"], name="pacts_compliance_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "pemda"], name="pacts_compliance_year_pemda")]

    def __str__(self) -> str:
        return f"{self.pemda_id}/{self.unit_id}/{self.year}"


class BookletJob(TenantModel):
    """The building of an event's booklet (cover, index, every signed pact), run as a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        SigningEvent, on_delete=models.CASCADE, related_name="booklets", verbose_name=_("event")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("pacts to include"), default=0)
    done = models.PositiveIntegerField(_("pacts included"), default=0)
    document = models.ForeignKey(
        "core.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booklet file"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event booklet")
        verbose_name_plural = _("event booklets")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def get_absolute_url(self) -> str:
        return reverse(
            "pactreports:booklet_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk}
        )


class Kiosk(models.Model):
    """A shared device at a ceremony in kiosk mode: its browser session holds only the token
    (hashed here) and reaches nothing but the signing flow of this event (``pacts.kiosk``)."""

    event = models.ForeignKey(SigningEvent, on_delete=models.CASCADE, related_name="kiosks")
    token_hash = models.CharField(max_length=64, unique=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"kiosk {self.pk} of event {self.event_id}"


class KioskPin(models.Model):
    """A one-time PIN an admin issues to a participant without an account, valid only to sign
    that participant's pact of that event at the kiosk. Only its hash is stored."""

    pact = models.OneToOneField(Pact, on_delete=models.CASCADE, related_name="kiosk_pin")
    pin_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"PIN of pact {self.pact_id}"
