"""Fictional but well-formed organisations and officials, for demo data and benchmarks.

Names are combined from lists of common given names and family names; NIPs are valid.
"""

from __future__ import annotations

import datetime as dt
import random

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
