"""Fictional but well-formed organisations and officials, for demo data and benchmarks.

Names are combined from lists of common given names and family names; NIPs are valid.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

GIVEN = [
    "Adi",
    "Agus",
    "Ahmad",
    "Andi",
    "Anita",
    "Arif",
    "Ayu",
    "Bambang",
    "Budi",
    "Citra",
    "Dedi",
    "Dewi",
    "Dian",
    "Dimas",
    "Eko",
    "Endang",
    "Fajar",
    "Fitri",
    "Gita",
    "Hadi",
    "Hendra",
    "Indah",
    "Irfan",
    "Joko",
    "Kartika",
    "Lestari",
    "Lina",
    "Made",
    "Maya",
    "Nanda",
    "Nur",
    "Putri",
    "Rahmat",
    "Rina",
    "Rizki",
    "Sari",
    "Sinta",
    "Siti",
    "Sri",
    "Teguh",
    "Tri",
    "Umar",
    "Wahyu",
    "Wati",
    "Yanti",
    "Yogi",
    "Yudi",
    "Yuni",
    "Zainal",
    "Ratna",
]
FAMILY = [
    "Pratama",
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Nugroho",
    "Kusuma",
    "Setiawan",
    "Santoso",
    "Permana",
    "Lubis",
    "Siregar",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Sitompul",
    "Wibowo",
    "Susanto",
    "Gunawan",
    "Halim",
    "Rahayu",
    "Utami",
    "Purnama",
    "Hakim",
    "Syahputra",
    "Ramadhan",
    "Firmansyah",
    "Kurniawan",
    "Maulana",
    "Anggraini",
    "Handayani",
]
BACK_TITLES = [
    "",
    "",
    "",
    "S.E.",
    "S.H.",
    "S.Sos.",
    "S.T.",
    "S.Kom.",
    "S.Pd.",
    "M.Si.",
    "M.M.",
    "S.H., M.H.",
    "S.E., M.Ak.",
    "S.STP., M.Si.",
]
GOLONGAN = {
    "jpt_madya": "Pembina Utama Madya (IV/d)",
    "jpt_pratama": "Pembina Utama Muda (IV/c)",
    "administrator": "Pembina (IV/a)",
    "pengawas": "Penata Tingkat I (III/d)",
    "fungsional": "Penata (III/c)",
    "pelaksana": "Pengatur (II/c)",
}
OPD = [
    ("Sekretariat Daerah", "sekretariat"),
    ("Sekretariat DPRD", "sekretariat"),
    ("Inspektorat", "inspektorat"),
    ("Badan Perencanaan Pembangunan Daerah", "badan"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("Badan Kepegawaian dan Pengembangan SDM", "badan"),
    ("Badan Pendapatan Daerah", "badan"),
    ("Badan Penanggulangan Bencana Daerah", "badan"),
    ("Badan Kesatuan Bangsa dan Politik", "badan"),
    ("Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("Dinas Kesehatan", "dinas"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("Dinas Perumahan dan Kawasan Permukiman", "dinas"),
    ("Dinas Sosial", "dinas"),
    ("Dinas Tenaga Kerja", "dinas"),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas"),
    ("Dinas Pangan", "dinas"),
    ("Dinas Lingkungan Hidup", "dinas"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "dinas"),
    ("Dinas Perhubungan", "dinas"),
    ("Dinas Komunikasi dan Informatika", "dinas"),
    ("Dinas Koperasi dan UKM", "dinas"),
    ("Dinas Penanaman Modal dan PTSP", "dinas"),
    ("Dinas Pemuda dan Olahraga", "dinas"),
    ("Dinas Pariwisata", "dinas"),
    ("Dinas Perpustakaan dan Kearsipan", "dinas"),
    ("Dinas Perikanan", "dinas"),
    ("Dinas Pertanian", "dinas"),
    ("Dinas Perdagangan dan Perindustrian", "dinas"),
    ("Satuan Polisi Pamong Praja", "dinas"),
    ("Rumah Sakit Umum Daerah", "rsud"),
    ("Kecamatan Sukamaju", "kecamatan"),
    ("Kecamatan Mekarsari", "kecamatan"),
    ("Kecamatan Sidomulyo", "kecamatan"),
    ("Kecamatan Karyajaya", "kecamatan"),
    ("Kecamatan Tanjung Baru", "kecamatan"),
    ("Kecamatan Harapan Jaya", "kecamatan"),
    ("Kecamatan Sumber Rejeki", "kecamatan"),
    ("Kecamatan Bumi Agung", "kecamatan"),
]
SUB_UNITS = ["Sekretariat", "Bidang Program", "Bidang Pelayanan", "Bidang Pengawasan"]


def fake_name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def fake_nip(rng: random.Random, serial: int, *, sex: str | None = None) -> str:
    """A valid NIP; ``serial`` (1..999) and the dates make it unique within a generator run."""
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 32))
    appoint_year = birth.year + rng.randint(20, 30)
    appoint_year = min(appoint_year, 2023)
    month = rng.randint(1, 12)
    if (appoint_year, month) < (birth.year + 18, birth.month):
        appoint_year = birth.year + 19
    sex_digit = sex or rng.choice("12")
    return f"{birth:%Y%m%d}{appoint_year:04d}{month:02d}{sex_digit}{serial % 999 + 1:03d}"


def hr_rows(
    rng: random.Random, officials: int, *, opd: int = 40, seen: set[str] | None = None
) -> list[list[str]]:
    """Rows of an HR export (the import template's columns) for one Pemda."""
    from pakta.org.imports import TEMPLATE_HEADERS

    rows = [TEMPLATE_HEADERS]
    seen = set() if seen is None else seen
    per_opd = max(officials // opd, 1)
    count = 0
    for index in range(opd):
        opd_name = OPD[index % len(OPD)][0] + (
            "" if index < len(OPD) else f" {index // len(OPD) + 1}"
        )
        for k in range(per_opd if index < opd - 1 else officials - count):
            if k == 0:
                title, level, unit, parent = f"Kepala {opd_name}", "II", opd_name, ""
            elif k == 1:
                title, level, unit, parent = (
                    f"Sekretaris {opd_name}",
                    "III",
                    f"Sekretariat {opd_name}",
                    opd_name,
                )
            elif k < 5:
                sub = SUB_UNITS[k - 1]
                title, level, unit, parent = f"Kepala {sub}", "III", f"{sub} {opd_name}", opd_name
            elif k < 12:
                sub = SUB_UNITS[k % len(SUB_UNITS)]
                title, level, unit, parent = (
                    f"Kepala Seksi {k - 4} {sub}",
                    "IV",
                    f"{sub} {opd_name}",
                    opd_name,
                )
            else:
                sub = SUB_UNITS[k % len(SUB_UNITS)]
                title, level = (
                    ("Analis Kebijakan", "FUNGSIONAL")
                    if k % 3 == 0
                    else ("Pengadministrasi Umum", "PELAKSANA")
                )
                unit, parent = f"{sub} {opd_name}", opd_name
            nip = fake_nip(rng, count)
            while nip in seen:
                nip = fake_nip(rng, count)
            seen.add(nip)
            golongan = GOLONGAN.get(
                {"II": "jpt_pratama", "III": "administrator", "IV": "pengawas"}.get(
                    level, level.lower()
                ),
                "",
            )
            rows.append(
                [
                    nip,
                    fake_name(rng),
                    "",
                    rng.choice(BACK_TITLES),
                    golongan,
                    title,
                    level,
                    unit,
                    parent,
                    "",
                    "2024-01-02",
                ]
            )
            count += 1
    return rows


# --- National-scale synthetic data (``manage.py generate``) -------------------------------------
#
# Benchmark data only: the loader writes straight into the tables (COPY on PostgreSQL,
# executemany on SQLite), bypassing the services and therefore the audit chain. Real data never
# takes this path; see docs/scale.md.

NATIONAL_PEMDA = 546
NATIONAL_PROVINCES = 38
GENERATED_SLUG_PREFIX = "sim-"

# Generated NIPs: a counter is mapped one-to-one onto (birth date, serial) by an affine
# permutation modulo the number of such pairs, so that NIPs never collide and neighbours do not
# share a birth date. The appointment month and sex digit are free (random) on top of that.
NIP_BIRTH_FIRST = dt.date(1964, 1, 1)
NIP_BIRTH_DAYS = (dt.date(2000, 12, 31) - NIP_BIRTH_FIRST).days + 1
NIP_SERIALS = 999
NIP_CAPACITY = NIP_BIRTH_DAYS * NIP_SERIALS
_NIP_MULTIPLIER = 7_777_777
_NIP_OFFSET = 123_457
_BIRTH_TEXT = [
    (NIP_BIRTH_FIRST + dt.timedelta(days=d)).strftime("%Y%m%d") for d in range(NIP_BIRTH_DAYS)
]


def _nip_multiplier() -> int:
    import math

    multiplier = _NIP_MULTIPLIER
    while math.gcd(multiplier, NIP_CAPACITY) != 1:
        multiplier += 1
    return multiplier


NIP_MULTIPLIER = _nip_multiplier()


def nip_for_counter(counter: int, appoint_age: int, month: int, sex_digit: str) -> str:
    """The NIP of generated official number ``counter`` (0 <= counter < NIP_CAPACITY).

    ``appoint_age`` (19 or more) and ``month`` place the appointment after the 18th birthday.
    """
    x = (counter * NIP_MULTIPLIER + _NIP_OFFSET) % NIP_CAPACITY
    day, serial = divmod(x, NIP_SERIALS)
    birth = _BIRTH_TEXT[day]
    return f"{birth}{int(birth[:4]) + appoint_age:04d}{month:02d}{sex_digit}{serial + 1:03d}"


def counter_for_nip(nip: str) -> int:
    """The inverse of ``nip_for_counter`` (used by ``generate --append``)."""
    birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    x = (birth - NIP_BIRTH_FIRST).days * NIP_SERIALS + int(nip[15:18]) - 1
    return ((x - _NIP_OFFSET) * pow(NIP_MULTIPLIER, -1, NIP_CAPACITY)) % NIP_CAPACITY


@dataclass
class PemdaPlan:
    index: int  # 0-based within the run
    code: str
    slug: str
    name: str
    kind: str
    timezone: str
    parent_code: str | None
    officials: int


def plan_pemda(
    count: int, officials: int, rng: random.Random, *, first_province: int = 1
) -> list[PemdaPlan]:
    """Provinces and kabupaten/kota with skewed sizes that add up to exactly ``officials``.

    Codes look like Kemendagri codes but cannot be real ones: provinces are "9001", "9002"...
    (real ones have two digits), kabupaten "9001.01"... and kota "9001.71"...
    """
    provinces = max(1, min(count, round(count * NATIONAL_PROVINCES / NATIONAL_PEMDA)))
    regencies = count - provinces
    plans: list[PemdaPlan] = []
    zones = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
    for p in range(provinces):
        number = first_province + p
        if number > 999:
            raise ValueError("at most 999 generated provinces")
        zone = zones[0] if p < provinces * 0.6 else zones[1] if p < provinces * 0.85 else zones[2]
        plans.append(
            PemdaPlan(
                index=p,
                code=f"9{number:03d}",
                slug=f"{GENERATED_SLUG_PREFIX}9{number:03d}",
                name=f"Provinsi Simulasi {number}",
                kind="provinsi",
                timezone=zone,
                parent_code=None,
                officials=0,
            )
        )
    kab_count = [0] * provinces
    kota_count = [0] * provinces
    for k in range(regencies):
        p = k % provinces
        province = plans[p]
        is_kota = k % 5 == 4
        if is_kota:
            kota_count[p] += 1
            local = 70 + kota_count[p]
        else:
            kab_count[p] += 1
            local = kab_count[p]
        if kab_count[p] > 70 or kota_count[p] > 29:
            raise ValueError("too many kabupaten/kota per province for two-digit codes")
        plans.append(
            PemdaPlan(
                index=provinces + k,
                code=f"{province.code}.{local:02d}",
                slug=f"{province.slug}-{local:02d}",
                name=f"{'Kota' if is_kota else 'Kabupaten'} Simulasi {province.code}.{local:02d}",
                kind="kota" if is_kota else "kabupaten",
                timezone=province.timezone,
                parent_code=province.code,
                officials=0,
            )
        )
    # Log-normal weights: a few large Pemda, many small ones, as in the real spread of ASN.
    weights = [rng.lognormvariate(0, 0.6) * (1.6 if p.kind == "provinsi" else 1.0) for p in plans]
    total = sum(weights)
    exact = [officials * w / total for w in weights]
    sizes = [int(e) for e in exact]
    by_remainder = sorted(range(len(plans)), key=lambda i: exact[i] - sizes[i], reverse=True)
    for i in by_remainder[: officials - sum(sizes)]:
        sizes[i] += 1
    for plan, size in zip(plans, sizes, strict=True):
        plan.officials = size
    return plans


# Positions created in every generated unit: (title pattern, level, is head). The head's title
# depends on the unit ("Kepala Dinas Kesehatan", "Camat Sukamaju").
UNIT_POSITIONS = [
    ("{head}", "jpt_pratama", True),
    ("Sekretaris", "administrator", False),
    ("Kepala Bidang Program", "administrator", False),
    ("Kepala Bidang Pelayanan", "administrator", False),
    ("Kepala Subbagian Umum dan Kepegawaian", "pengawas", False),
    ("Kepala Seksi Perencanaan", "pengawas", False),
    ("Kepala Seksi Pengawasan", "pengawas", False),
    ("Analis Kebijakan", "fungsional", False),
    ("Pranata Komputer", "fungsional", False),
    ("Pengadministrasi Umum", "pelaksana", False),
    ("Pengelola Keuangan", "pelaksana", False),
]
# The first officials of a unit fill its structural posts, one each; the rest share the others.
STRUCTURAL_POSTS = 7
# Relative sizes of the OPD in ``OPD`` (education and health employ most ASN; kecamatan few).
_OPD_WEIGHT = {"sekretariat": 4, "inspektorat": 2, "badan": 3, "dinas": 4, "rsud": 12}
OPD_WEIGHTS = [
    40 if name.startswith("Dinas Pendidikan") else 15 if name == "Dinas Kesehatan" else 0
    for name, _kind in OPD
]
OPD_WEIGHTS = [
    w or _OPD_WEIGHT.get(kind, 1) for w, (_name, kind) in zip(OPD_WEIGHTS, OPD, strict=True)
]


def head_title(unit_name: str, kind: str) -> str:
    if kind == "kecamatan":
        return "Camat " + unit_name.removeprefix("Kecamatan ")
    if kind == "rsud":
        return "Direktur " + unit_name
    if unit_name.startswith("Sekretariat"):
        return "Sekretaris " + unit_name.removeprefix("Sekretariat ")
    return "Kepala " + unit_name


class GenerateRefused(Exception):
    """The generated Pemda are already there (run with ``append`` to add more)."""


SUB_UNIT_NAMES = ("Bidang", "Seksi", "UPT", "Sekolah", "Puskesmas", "Subbagian")

UNIT_COLUMNS: tuple[str, ...] = (
    "id",
    "created_at",
    "updated_at",
    "pemda_id",
    "parent_id",
    "name",
    "code",
    "kind",
    "path",
    "is_active",
)
POSITION_COLUMNS: tuple[str, ...] = (
    "id",
    "created_at",
    "updated_at",
    "pemda_id",
    "unit_id",
    "title",
    "level",
    "is_unit_head",
)
OFFICIAL_COLUMNS: tuple[str, ...] = (
    "id",
    "created_at",
    "updated_at",
    "pemda_id",
    "nip",
    "name",
    "front_title",
    "back_title",
    "golongan",
    "sex",
    "birth_date",
    "email",
)
ASSIGNMENT_COLUMNS: tuple[str, ...] = (
    "created_at",
    "updated_at",
    "pemda_id",
    "official_id",
    "position_id",
    "kind",
    "start_date",
    "end_date",
)
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_LAST_APPOINTMENT_YEAR = 2024


class _Writer:
    """Bulk insert of plain tuples: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.connection = connection
        self.vendor = connection.vendor
        self.raw: Any = connection.connection
        if self.vendor == "postgresql":
            with self.raw.cursor() as cursor:
                # Losing the last commits in a crash is fine for benchmark data.
                cursor.execute("SET synchronous_commit TO off")
                # The rows are consistent by construction: skip the per-row foreign-key triggers
                # when allowed (superuser; otherwise they run and the load is slower).
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
                self.replica = bool(row and row[0])
                if self.replica:
                    cursor.execute("SET session_replication_role = replica")
        elif self.vendor == "sqlite":
            # Only outside a transaction (where these can change; inside one, as in tests, the
            # load runs with the usual settings). The rows are consistent by construction:
            # checking each reference would only slow the load.
            self.pragmas = not connection.in_atomic_block
            if self.pragmas:
                for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-1000000"):
                    self.raw.execute(f"PRAGMA {pragma}")
                self.raw.execute("PRAGMA temp_store=MEMORY")
        else:  # pragma: no cover
            raise NotImplementedError(self.vendor)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.vendor == "postgresql":
            with (
                self.raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  (model tables)
            self.raw.executemany(sql, rows)

    def finish(self, tables: Sequence[str]) -> None:
        if self.vendor == "postgresql":
            with self.raw.cursor() as cursor:
                if self.replica:
                    cursor.execute("SET session_replication_role = DEFAULT")
                for table in tables:
                    # Ids were given explicitly: move each identity sequence past them.
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                        f" (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                for table in tables:
                    cursor.execute(f"ANALYZE {table}")
        else:
            if self.pragmas:
                self.raw.execute("PRAGMA foreign_keys=ON")
                self.raw.execute("PRAGMA synchronous=NORMAL")
            self.raw.execute("ANALYZE")


def national_generate(
    *,
    officials: int,
    pemda: int,
    seed: int = 2024,
    batch: int = 50_000,
    append: bool = False,
    units: int = 0,
    progress: Callable[[str], None] = print,
) -> dict[str, int]:
    """Bulk-load synthetic Pemda, units, positions, officials and their current assignments.

    ``units``: units per Pemda in all; beyond the OPD, sub-units (bidang, seksi, UPT, sekolah)
    are added under the OPD in turn, each with its head's position (the largest Pemda has about
    2,000 units). The officials fill the OPD's positions as without it.

    Bypasses the services on purpose: this is benchmark data, written as fast as the database
    takes it, and it records no audit events. Each batch of officials commits on its own, so an
    interrupted run leaves a partial load behind (drop that database). Raises GenerateRefused
    when the Pemda codes of the run are already taken.
    """
    from django.db import transaction
    from django.db.models import Max, Q
    from django.utils import timezone

    from pakta.org.models import Assignment, Official, Pemda, Position, Unit

    if officials < 0 or pemda < 1:
        raise ValueError("need at least one Pemda and a non-negative number of officials")
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
    generated = Pemda.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX)
    first_province, counter = 1, 0
    if append and generated.exists():
        codes = generated.filter(kind=Pemda.Kind.PROVINSI).values_list("kemendagri_code", flat=True)
        first_province = max(int(code[1:]) for code in codes) + 1
        nips = Official.objects.filter(pemda__in=generated).values_list("nip", flat=True)
        counter = max(
            (counter_for_nip(nip) for nip in nips.iterator(chunk_size=20_000)), default=-1
        )
        counter += 1
    plans = plan_pemda(pemda, officials, rng, first_province=first_province)
    clash = Pemda.objects.filter(
        Q(kemendagri_code__in=[p.code for p in plans]) | Q(slug__in=[p.slug for p in plans])
    )
    if clash.exists():
        raise GenerateRefused(
            f"Generated Pemda already exist (e.g. {clash.first()}); use a fresh database, "
            "or --append to add more."
        )
    if counter + officials > NIP_CAPACITY:
        raise ValueError(f"at most {NIP_CAPACITY} generated officials")
    # NIPs entered by hand or by the demo must not be generated again; generated ones cannot be.
    taken = set(Official.objects.exclude(pemda__in=generated).values_list("nip", flat=True))

    writer = _Writer()
    now = writer.connection.ops.adapt_datetimefield_value(timezone.now())
    counts = {"pemda": 0, "units": 0, "positions": 0, "officials": 0, "assignments": 0}

    # Pemda: few rows, through the ORM (no services, no audit events).
    with transaction.atomic():
        by_code: dict[str, Pemda] = {}
        for level in ("provinsi", "other"):
            rows = [
                Pemda(
                    name=p.name,
                    slug=p.slug,
                    kind=p.kind,
                    kemendagri_code=p.code,
                    parent=by_code[p.parent_code] if p.parent_code else None,
                    timezone=p.timezone,
                    seat=f"Ibu Kota {p.code}",
                )
                for p in plans
                if (p.kind == "provinsi") == (level == "provinsi")
            ]
            for row in Pemda.objects.bulk_create(rows, batch_size=1000):
                by_code[row.kemendagri_code] = row
    counts["pemda"] = len(plans)
    progress(f"pemda: {len(plans)} in {time.monotonic() - started:.1f} s")

    # Units and positions, with ids chosen here so that paths and references need no round trip.
    unit_id = (Unit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    position_id = (Position.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    official_id = (Official.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    # For each Pemda: per unit, the ids of its positions (in UNIT_POSITIONS order).
    unit_posts: dict[str, list[list[int]]] = {}
    unit_rows: list[tuple[Any, ...]] = []
    position_rows: list[tuple[Any, ...]] = []
    for plan in plans:
        pemda_id = by_code[plan.code].pk
        posts: list[list[int]] = []
        for number, (opd_name, kind) in enumerate(OPD, start=1):
            if kind == "kecamatan" and plan.kind == "provinsi":
                # Provinces have no kecamatan; regional technical units stand in their place.
                opd_name, kind = f"UPTD Wilayah {_ROMAN[len(posts) % 10]}", "other"
            unit_rows.append(
                (
                    unit_id,
                    now,
                    now,
                    pemda_id,
                    None,
                    opd_name,
                    f"{plan.code}.{number:02d}",
                    kind,
                    f"/{unit_id}/",
                    True,
                )
            )
            ids = []
            for title, level, is_head in UNIT_POSITIONS:
                title = head_title(opd_name, kind) if is_head else title
                position_rows.append(
                    (position_id, now, now, pemda_id, unit_id, title, level, is_head)
                )
                ids.append(position_id)
                position_id += 1
            posts.append(ids)
            unit_id += 1
        # Sub-units under the OPD in turn, up to ``units`` for the Pemda.
        opd_ids = [row[0] for row in unit_rows[-len(OPD) :]]
        for extra in range(max(0, units - len(OPD))):
            parent = opd_ids[extra % len(opd_ids)]
            sub_name = (
                f"{SUB_UNIT_NAMES[extra % len(SUB_UNIT_NAMES)]} {extra // len(SUB_UNIT_NAMES) + 1}"
            )
            unit_rows.append(
                (
                    unit_id,
                    now,
                    now,
                    pemda_id,
                    parent,
                    sub_name,
                    f"{plan.code}.{extra // len(opd_ids) + 1:03d}.{extra % len(opd_ids) + 1:02d}",
                    "sub_unit",
                    f"/{parent}/{unit_id}/",
                    True,
                )
            )
            position_rows.append(
                (position_id, now, now, pemda_id, unit_id, f"Kepala {sub_name}", "pengawas", True)
            )
            position_id += 1
            unit_id += 1
        unit_posts[plan.code] = posts
    with transaction.atomic():
        writer.insert(Unit._meta.db_table, UNIT_COLUMNS, unit_rows)
        writer.insert(Position._meta.db_table, POSITION_COLUMNS, position_rows)
    counts["units"], counts["positions"] = len(unit_rows), len(position_rows)
    del unit_rows, position_rows
    progress(
        f"units: {counts['units']}, positions: {counts['positions']}"
        f" in {time.monotonic() - started:.1f} s"
    )

    golongan = [GOLONGAN.get(level, "") for _title, level, _head in UNIT_POSITIONS]
    official_rows: list[tuple[Any, ...]] = []
    assignment_rows: list[tuple[Any, ...]] = []
    opd_cum = []
    running = 0
    for weight in OPD_WEIGHTS:
        running += weight
        opd_cum.append(running)
    unit_numbers = range(len(OPD))
    other_posts = len(UNIT_POSITIONS) - STRUCTURAL_POSTS
    done = 0
    batch_started = time.monotonic()

    def flush() -> None:
        nonlocal official_rows, assignment_rows, done, batch_started
        if not official_rows:
            return
        with transaction.atomic():
            writer.insert(Official._meta.db_table, OFFICIAL_COLUMNS, official_rows)
            writer.insert(Assignment._meta.db_table, ASSIGNMENT_COLUMNS, assignment_rows)
        done += len(official_rows)
        elapsed = time.monotonic() - started
        rate = len(official_rows) / max(time.monotonic() - batch_started, 1e-9)
        progress(
            f"officials: {done:,}/{officials:,} ({done * 100 / max(officials, 1):.1f}%)"
            f" {elapsed:.1f} s, {rate:,.0f} rows/s"
        )
        official_rows, assignment_rows = [], []
        batch_started = time.monotonic()

    for plan in plans:
        pemda_id = by_code[plan.code].pk
        posts = unit_posts[plan.code]
        filled = [0] * len(posts)
        for unit_index in rng.choices(unit_numbers, cum_weights=opd_cum, k=plan.officials):
            seat = filled[unit_index]
            filled[unit_index] += 1
            post = (
                seat if seat < STRUCTURAL_POSTS else STRUCTURAL_POSTS + rng.randrange(other_posts)
            )
            while True:
                x = (counter * NIP_MULTIPLIER + _NIP_OFFSET) % NIP_CAPACITY
                counter += 1
                day, serial = divmod(x, NIP_SERIALS)
                birth = _BIRTH_TEXT[day]
                birth_year = int(birth[:4])
                appointed = birth_year + rng.randint(
                    19, min(35, _LAST_APPOINTMENT_YEAR - birth_year)
                )
                month = rng.randint(1, 12)
                sex_digit = "1" if rng.random() < 0.5 else "2"
                nip = f"{birth}{appointed:04d}{month:02d}{sex_digit}{serial + 1:03d}"
                if nip not in taken:
                    break
            official_rows.append(
                (
                    official_id,
                    now,
                    now,
                    pemda_id,
                    nip,
                    fake_name(rng),
                    "",
                    rng.choice(BACK_TITLES),
                    golongan[post],
                    "L" if sex_digit == "1" else "P",
                    f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
                    "",
                )
            )
            start_year = max(appointed, _LAST_APPOINTMENT_YEAR - rng.randrange(8))
            assignment_rows.append(
                (
                    now,
                    now,
                    pemda_id,
                    official_id,
                    posts[unit_index][post],
                    "definitif",
                    f"{start_year}-{month:02d}-01",
                    None,
                )
            )
            official_id += 1
            if len(official_rows) >= batch:
                flush()
    flush()
    counts["officials"] = counts["assignments"] = done
    writer.finish(
        [
            Unit._meta.db_table,
            Position._meta.db_table,
            Official._meta.db_table,
            Assignment._meta.db_table,
        ]
    )
    counts["seconds"] = round(time.monotonic() - started)
    return counts
