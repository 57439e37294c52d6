"""Pemda, their unit trees, positions, officials and position history."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel, TenantModel
from pakta.org.nip import validate_nip


def full_name(front_title: str, name: str, back_title: str) -> str:
    """An official's name with their titles (``Dr. Budi Santoso, M.Si.``): ``Official.full_name``,
    and the exports that read plain values instead of instances."""
    name = f"{front_title} {name}".strip()
    return f"{name}, {back_title}" if back_title else name


class Pemda(BaseModel):
    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Province")
        KABUPATEN = "kabupaten", _("Kabupaten (regency)")
        KOTA = "kota", _("Kota (city)")

    class Zone(models.TextChoices):
        WIB = "Asia/Jakarta", _("WIB (UTC+7)")
        WITA = "Asia/Makassar", _("WITA (UTC+8)")
        WIT = "Asia/Jayapura", _("WIT (UTC+9)")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    kemendagri_code = models.CharField(
        _("Kemendagri code"),
        max_length=13,
        unique=True,
        help_text=_("The region code of the Ministry of Home Affairs, e.g. 18 or 18.01."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("province"),
    )
    timezone = models.CharField(
        _("time zone"), max_length=20, choices=Zone.choices, default=Zone.WIB
    )
    seat = models.CharField(
        _("seat (place of signing)"), max_length=80, blank=True, help_text=_("e.g. Kalianda")
    )
    address = models.TextField(_("address"), blank=True)
    logo = models.ForeignKey(
        "core.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("letterhead logo"),
    )

    class Meta:
        verbose_name = _("Pemda")
        verbose_name_plural = _("Pemda")
        ordering = ["kemendagri_code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:pemda_home", kwargs={"pemda": self.slug})


class Unit(TenantModel):
    """A unit of a Pemda's organisation: an OPD, one of its sub-units, or a kecamatan."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Secretariat")
        DINAS = "dinas", _("Dinas (agency)")
        BADAN = "badan", _("Badan (board)")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        KECAMATAN = "kecamatan", _("Kecamatan (district)")
        RSUD = "rsud", _("Regional hospital")
        SUB_UNIT = "sub_unit", _("Sub-unit (bagian, bidang, seksi)")
        OTHER = "other", _("Other")

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DINAS)
    # Materialised path of primary keys ("/12/40/"), so that a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "parent", "name"], name="org_unit_unique_name_per_parent"
            ),
            models.UniqueConstraint(
                fields=["pemda", "name"],
                condition=Q(parent__isnull=True),
                name="org_unit_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class Position(TenantModel):
    """A post in a unit (jabatan), with its level in the ASN career system."""

    class Level(models.TextChoices):
        JPT_UTAMA = "jpt_utama", _("JPT Utama")
        JPT_MADYA = "jpt_madya", _("JPT Madya")
        JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
        ADMINISTRATOR = "administrator", _("Administrator")
        PENGAWAS = "pengawas", _("Pengawas")
        FUNGSIONAL = "fungsional", _("Fungsional")
        PELAKSANA = "pelaksana", _("Pelaksana")

    # The eselon that each level replaced (UU 5/2014); shown beside the level.
    ESELON = {
        Level.JPT_UTAMA: "I.a",
        Level.JPT_MADYA: "I.b",
        Level.JPT_PRATAMA: "II",
        Level.ADMINISTRATOR: "III",
        Level.PENGAWAS: "IV",
    }
    STRUCTURAL_LEVELS = (
        Level.JPT_UTAMA,
        Level.JPT_MADYA,
        Level.JPT_PRATAMA,
        Level.ADMINISTRATOR,
        Level.PENGAWAS,
    )

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=14, choices=Level.choices)
    is_unit_head = models.BooleanField(_("head of the unit"), default=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit__path", "level", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title"], name="org_position_unique_title_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def eselon(self) -> str:
        return self.ESELON.get(self.Level(self.level), "")


class Official(TenantModel):
    """A civil servant (ASN) identified by NIP."""

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    nip = models.CharField(_("NIP"), max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField(_("name"), max_length=150)
    front_title = models.CharField(
        _("title before the name"), max_length=40, blank=True, help_text=_("e.g. Dr., Ir.")
    )
    back_title = models.CharField(
        _("title after the name"), max_length=60, blank=True, help_text=_("e.g. S.H., M.Si.")
    )
    golongan = models.CharField(
        _("rank/golongan"), max_length=40, blank=True, help_text=_("e.g. Pembina (IV/a)")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["name"]
        indexes = [models.Index(fields=["pemda", "name"], name="org_official_pemda_name")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name(self.front_title, self.name, self.back_title)

    def get_absolute_url(self) -> str:
        return reverse("org:official_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class Assignment(TenantModel):
    """An official holding a position from a start date until an end date (open while current)."""

    class Kind(models.TextChoices):
        DEFINITIVE = "definitif", _("Definitive")
        PLT = "plt", _("Plt. (acting)")
        PLH = "plh", _("Plh. (daily executive)")

    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("official")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("position")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DEFINITIVE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("position assignment")
        verbose_name_plural = _("position assignments")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["official"],
                condition=Q(end_date__isnull=True, kind="definitif"),
                name="org_assignment_one_current_definitive",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="org_assignment_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["position", "end_date"], name="org_asg_position_current"),
            # Counts of a Pemda's current assignments per position read from the index alone
            # (60,000 at the largest Pemda: the declarations due per OPD).
            models.Index(
                fields=["pemda", "kind", "end_date", "position", "official"],
                name="org_asg_pemda_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.position}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class ImportJob(TenantModel):
    """An upload of an HR export, validated and applied by a background task."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Checking rows")
        PREVIEW = "preview", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed: waiting to be saved")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected: nothing was changed")
        FAILED = "failed", _("Failed: nothing was changed")
        CANCELLED = "cancelled", _("Cancelled: nothing was changed")
        EXPIRED = "expired", _("Expired: nothing was changed")
        UNDONE = "undone", _("Undone")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing: import only if every row is valid")
        GOOD_ROWS = "good", _("Import the valid rows and report the others")

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, verbose_name=_("uploaded by")
    )
    document = models.ForeignKey("core.Document", on_delete=models.PROTECT, verbose_name=_("file"))
    file_name = models.CharField(_("file name"), max_length=255)
    mode = models.CharField(
        _("mode"), max_length=4, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    headers = models.JSONField(_("headers found"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    effective_date = models.DateField(_("effective date of assignments"))
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    errors = models.JSONField(_("row errors"), default=list)
    summary = models.JSONField(_("summary"), default=dict)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Where the data is: the sheet, the line of the (last) header row and how many rows it spans.
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    sheets = models.JSONField(_("sheets that hold a header"), default=list)
    header_line = models.PositiveIntegerField(_("header line"), default=1)
    header_height = models.PositiveSmallIntegerField(default=1)
    # A hash of the headers, so that a mapping chosen once is used again for the same layout.
    signature = models.CharField(max_length=64, blank=True, db_index=True)
    mapping_chosen = models.BooleanField(default=False)
    options = models.JSONField(_("options"), default=dict)
    preview = models.JSONField(_("preview"), default=dict)
    # What the import wrote, so that it can be undone: ids created, assignments ended, old values.
    changes = models.JSONField(default=dict)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def progress_percent(self) -> int:
        if self.status in {self.Status.DONE, self.Status.REJECTED, self.Status.PREVIEW}:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.status in {
            self.Status.DONE,
            self.Status.REJECTED,
            self.Status.FAILED,
            self.Status.CANCELLED,
            self.Status.EXPIRED,
            self.Status.UNDONE,
        }

    @property
    def is_working(self) -> bool:
        """The task is checking or saving it: the page follows its progress."""
        return self.status in {
            self.Status.QUEUED,
            self.Status.RUNNING,
            self.Status.CONFIRMED,
            self.Status.SAVING,
        }

    @property
    def is_waiting(self) -> bool:
        """Waiting for the user (a mapping or a confirmation): it can still be cancelled."""
        return self.status in {self.Status.MAPPING, self.Status.PREVIEW}

    def get_absolute_url(self) -> str:
        return reverse("org:import_detail", kwargs={"pemda": self.pemda.slug, "pk": self.pk})


class CalendarDay(BaseModel):
    """An override of the working-day calendar: a holiday the ``holidays`` package does not know
    (a new cuti bersama decree, a regional holiday when ``pemda`` is set) or a day that is a
    working day after all. Deadlines in working days read it through ``org.workdays``."""

    pemda = models.ForeignKey(
        "org.Pemda",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("Pemda"),
        help_text=_("Empty for a national day."),
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("calendar day")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "date"], name="org_calendarday_unique_per_pemda"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(pemda__isnull=True),
                name="org_calendarday_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"
