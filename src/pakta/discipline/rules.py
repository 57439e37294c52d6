"""The configured rules of PP 94/2021 used by the procedure: sanction types and their levels,
durations and effects, the authority allowed for each level, and the deadlines in working days.

Sources: PP 94/2021 Pasal 8 (levels and types), Pasal 18-24 (authorities, simplified for a
Pemda), Pasal 26-28 (summons and the superior who fails to act), Peraturan BKN 6/2022 (procedure).
Deadlines marked "unverified" in docs/discipline.md are configuration, not a reading of the law:
change them here (or with ``PAKTA_DISCIPLINE_*`` settings) when the legal team confirms them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    RINGAN = "ringan", _("Light (ringan)")
    SEDANG = "sedang", _("Medium (sedang)")
    BERAT = "berat", _("Heavy (berat)")


# SIASN's one-letter level code.
LEVEL_CODE: dict[str, str] = {Level.RINGAN: "R", Level.SEDANG: "S", Level.BERAT: "B"}


class SanctionType(models.TextChoices):
    TEGURAN_LISAN = "teguran_lisan", _("Verbal reprimand (teguran lisan)")
    TEGURAN_TERTULIS = "teguran_tertulis", _("Written reprimand (teguran tertulis)")
    PERNYATAAN_TIDAK_PUAS = (
        "tidak_puas",
        _("Written statement of dissatisfaction (pernyataan tidak puas secara tertulis)"),
    )
    TPP_6 = "tpp_25_6", _("Performance allowance cut by 25 per cent for 6 months")
    TPP_9 = "tpp_25_9", _("Performance allowance cut by 25 per cent for 9 months")
    TPP_12 = "tpp_25_12", _("Performance allowance cut by 25 per cent for 12 months")
    DEMOTION = "demotion_12", _("Demotion one level for 12 months")
    RELEASE = "release_12", _("Release from position to a pelaksana post for 12 months")
    PDHTAPS = "pdhtaps", _("Honourable dismissal not at own request (PDHTAPS)")
    PTDH = "ptdh", _("Dismissal without honour (PTDH)")


@dataclass(frozen=True)
class SanctionRule:
    level: str
    months: int | None  # None: no duration (a reprimand) or permanent (a dismissal)
    effect: str  # what changes for the official (shown on the case and the export)
    siasn_name: str  # the name in BKN's reference list of discipline sanctions
    pasal: str


SANCTIONS: dict[str, SanctionRule] = {
    SanctionType.TEGURAN_LISAN: SanctionRule(
        Level.RINGAN,
        None,
        "Teguran disampaikan secara lisan",
        "Teguran Lisan",
        "Pasal 8 ayat (2) huruf a",
    ),
    SanctionType.TEGURAN_TERTULIS: SanctionRule(
        Level.RINGAN, None, "Teguran tertulis", "Teguran Tertulis", "Pasal 8 ayat (2) huruf b"
    ),
    SanctionType.PERNYATAAN_TIDAK_PUAS: SanctionRule(
        Level.RINGAN,
        None,
        "Pernyataan tidak puas secara tertulis",
        "Pernyataan Tidak Puas Secara Tertulis",
        "Pasal 8 ayat (2) huruf c",
    ),
    SanctionType.TPP_6: SanctionRule(
        Level.SEDANG,
        6,
        "Tunjangan kinerja dipotong 25% selama 6 bulan",
        "Pemotongan Tunjangan Kinerja 25% Selama 6 Bulan",
        "Pasal 8 ayat (3) huruf a",
    ),
    SanctionType.TPP_9: SanctionRule(
        Level.SEDANG,
        9,
        "Tunjangan kinerja dipotong 25% selama 9 bulan",
        "Pemotongan Tunjangan Kinerja 25% Selama 9 Bulan",
        "Pasal 8 ayat (3) huruf b",
    ),
    SanctionType.TPP_12: SanctionRule(
        Level.SEDANG,
        12,
        "Tunjangan kinerja dipotong 25% selama 12 bulan",
        "Pemotongan Tunjangan Kinerja 25% Selama 12 Bulan",
        "Pasal 8 ayat (3) huruf c",
    ),
    SanctionType.DEMOTION: SanctionRule(
        Level.BERAT,
        12,
        "Jabatan diturunkan setingkat lebih rendah selama 12 bulan",
        "Penurunan Jabatan Setingkat Lebih Rendah Selama 12 Bulan",
        "Pasal 8 ayat (4) huruf a",
    ),
    SanctionType.RELEASE: SanctionRule(
        Level.BERAT,
        12,
        "Dibebaskan dari jabatan menjadi jabatan pelaksana selama 12 bulan",
        "Pembebasan dari Jabatannya Menjadi Jabatan Pelaksana Selama 12 Bulan",
        "Pasal 8 ayat (4) huruf b",
    ),
    SanctionType.PDHTAPS: SanctionRule(
        Level.BERAT,
        None,
        "Diberhentikan dengan hormat tidak atas permintaan sendiri sebagai PNS",
        "Pemberhentian Dengan Hormat Tidak Atas Permintaan Sendiri Sebagai PNS",
        "Pasal 8 ayat (4) huruf c",
    ),
    SanctionType.PTDH: SanctionRule(
        Level.BERAT,
        None,
        "Diberhentikan tidak dengan hormat sebagai PNS",
        "Pemberhentian Tidak Dengan Hormat Sebagai PNS",
        "UU 20/2023 (ASN) jo. PP 11/2017 sebagaimana diubah PP 17/2020",
    ),
}


class Authority(models.TextChoices):
    DIRECT_SUPERIOR = "direct_superior", _("Direct superior")
    HEAD_OF_OPD = "head_of_opd", _("Head of the OPD")
    REGIONAL_HEAD = "regional_head", _("PPK (regional head)")


# Who may decide a sanction of each level (PP 94/2021 Pasal 18-24, reduced to a Pemda's three
# tiers). ``PAKTA_DISCIPLINE_AUTHORITIES`` replaces the table, e.g. {"ringan": ["head_of_opd"]}.
DEFAULT_AUTHORITIES: dict[str, tuple[str, ...]] = {
    Level.RINGAN: (Authority.DIRECT_SUPERIOR, Authority.HEAD_OF_OPD),
    Level.SEDANG: (Authority.HEAD_OF_OPD, Authority.REGIONAL_HEAD),
    Level.BERAT: (Authority.REGIONAL_HEAD,),
}


def authorities_for(level: str) -> tuple[str, ...]:
    table = getattr(settings, "PAKTA_DISCIPLINE_AUTHORITIES", None) or DEFAULT_AUTHORITIES
    return tuple(table.get(level, ()))


def _days(name: str, default: int) -> int:
    return int(getattr(settings, f"PAKTA_DISCIPLINE_{name}", default))


# Deadlines in working days (pakta.org.workdays.WorkCalendar).
SUMMONS_DAYS = _days("SUMMONS_DAYS", 7)  # first summons after the case is opened
SECOND_SUMMONS_DAYS = _days("SECOND_SUMMONS_DAYS", 7)  # after the first hearing, if absent
EXAMINATION_DAYS = _days("EXAMINATION_DAYS", 7)  # from the summons to the examination record
DECISION_DAYS = _days("DECISION_DAYS", 14)  # from the examination to the decision (unverified)
DELIVERY_DAYS = _days("DELIVERY_DAYS", 14)  # from the decision to its delivery (unverified)
OBJECTION_DAYS = _days("OBJECTION_DAYS", 15)  # keberatan / banding window after delivery
OBJECTION_DECISION_DAYS = _days("OBJECTION_DECISION_DAYS", 21)  # (unverified)

# Medium and heavy cases are examined by a team (atasan langsung, pengawasan, kepegawaian).
TEAM_LEVELS = (Level.SEDANG, Level.BERAT)
TEAM_MIN_MEMBERS = 3
# The route after delivery: objection (keberatan) to the authority's superior, or administrative
# appeal (banding administratif) to BPASN for heavy sanctions decided by the PPK.
APPEAL_ROUTE: dict[str, str] = {
    Level.RINGAN: "keberatan",
    Level.SEDANG: "keberatan",
    Level.BERAT: "banding",
}

# Pasal 28: a superior who does not summon and examine within the deadline is subject to a
# sanction one level heavier than the one the subordinate should receive.
ESCALATION_PASAL = getattr(settings, "PAKTA_DISCIPLINE_ESCALATION_PASAL", "Pasal 26 dan Pasal 28")
HEAVIER: dict[str, str] = {
    Level.RINGAN: Level.SEDANG,
    Level.SEDANG: Level.BERAT,
    Level.BERAT: Level.BERAT,
}
