"""Demo performance agreements (see ``pakta.ops.demo_content``) of this year.

Four heads of OPD signed their Perjanjian Kinerja with the Bupati and reported TW I and TW II,
which the Bupati verified, so the dashboards show a heat map and a trend with every band from
"sangat kurang" to "sangat baik". One of them also reported TW III, waiting for the Bupati. The
demo Kepala Dinas Kesehatan's agreement is approved and waits for the two signatures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pakta.accounts.demo import DEMO_PASSWORD
from pakta.accounts.models import User
from pakta.ops.demo_content import DemoCast, Log, evidence_pdf
from pakta.performance import services as perf
from pakta.performance.models import QUARTER_LABELS, Indicator, PerformanceAgreement, Polarity


@dataclass(frozen=True)
class IndicatorPlan:
    """An indicator with its annual and quarterly targets and the values reported per quarter."""

    name: str
    unit: str
    polarity: str
    target: str
    quarters: tuple[str, str, str, str]
    reported: tuple[str, ...] = ()  # TW I, TW II, TW III
    upper: str | None = None  # the upper bound of a target range (annual and quarterly)
    weight: str = "1"


@dataclass(frozen=True)
class AgreementPlan:
    goal: str
    indicators: list[IndicatorPlan]
    programmes: list[tuple[str, str]]  # (name, budget in rupiah)


H, L, R = Polarity.HIGHER, Polarity.LOWER, Polarity.RANGE

SIGNED = {
    "Badan Perencanaan Pembangunan Daerah": AgreementPlan(
        "Meningkatnya kualitas perencanaan dan pengendalian pembangunan daerah",
        [
            IndicatorPlan(
                "Persentase program RKPD yang selaras dengan RPJMD",
                "%",
                H,
                "95",
                ("95", "95", "95", "95"),
                ("93", "96", "95"),
                weight="2",
            ),
            IndicatorPlan(
                "Persentase rekomendasi evaluasi RKPD yang ditindaklanjuti OPD",
                "%",
                H,
                "80",
                ("20", "40", "60", "80"),
                ("18", "35", "52"),
            ),
            IndicatorPlan(
                "Rata-rata keterlambatan laporan evaluasi triwulanan OPD",
                "hari",
                L,
                "5",
                ("5", "5", "5", "5"),
                ("7", "4", "4"),
            ),
        ],
        [("Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah", "2450000000")],
    ),
    "Badan Pengelolaan Keuangan dan Aset Daerah": AgreementPlan(
        "Meningkatnya akuntabilitas pengelolaan keuangan dan aset daerah",
        [
            IndicatorPlan(
                "Persentase realisasi pendapatan asli daerah terhadap target",
                "%",
                H,
                "100",
                ("20", "45", "70", "100"),
                ("16", "38"),
                weight="2",
            ),
            IndicatorPlan(
                "Persentase realisasi belanja daerah",
                "%",
                H,
                "95",
                ("15", "40", "65", "95"),
                ("12", "33"),
            ),
            IndicatorPlan(
                "Rasio belanja pegawai terhadap total belanja daerah",
                "%",
                R,
                "28",
                ("28", "28", "28", "28"),
                ("31.5", "29.6"),
                upper="30",
            ),
        ],
        [
            ("Program Pengelolaan Keuangan Daerah", "3100000000"),
            ("Program Pengelolaan Barang Milik Daerah", "1275000000"),
        ],
    ),
    "Dinas Pendidikan dan Kebudayaan": AgreementPlan(
        "Meningkatnya akses dan mutu layanan pendidikan dasar",
        [
            IndicatorPlan(
                "Angka partisipasi murni SD/MI",
                "%",
                H,
                "98",
                ("98", "98", "98", "98"),
                ("96.4", "97.1"),
            ),
            IndicatorPlan(
                "Persentase satuan pendidikan dasar terakreditasi minimal B",
                "%",
                H,
                "85",
                ("80", "80", "85", "85"),
                ("62", "70"),
            ),
            IndicatorPlan(
                "Angka putus sekolah jenjang SMP",
                "%",
                L,
                "0.5",
                ("0.5", "0.5", "0.5", "0.5"),
                ("0.9", "0.75"),
            ),
        ],
        [("Program Pengelolaan Pendidikan", "12750000000")],
    ),
    "Dinas Pekerjaan Umum dan Penataan Ruang": AgreementPlan(
        "Meningkatnya kualitas infrastruktur jalan dan jembatan",
        [
            IndicatorPlan(
                "Persentase panjang jalan kabupaten dalam kondisi mantap",
                "%",
                H,
                "75",
                ("68", "70", "72", "75"),
                ("45", "49"),
            ),
            IndicatorPlan(
                "Persentase paket pekerjaan konstruksi yang selesai tepat waktu",
                "%",
                H,
                "90",
                ("90", "90", "90", "90"),
                ("40", "55"),
            ),
            IndicatorPlan(
                "Rata-rata waktu penanganan jalan rusak berat sejak dilaporkan",
                "hari",
                L,
                "14",
                ("14", "14", "14", "14"),
                ("24", "20"),
            ),
        ],
        [("Program Penyelenggaraan Jalan", "18500000000")],
    ),
}
# The demo Kepala Dinas Kesehatan's agreement: approved, not yet signed.
WAITING = AgreementPlan(
    "Meningkatnya derajat kesehatan masyarakat",
    [
        IndicatorPlan(
            "Cakupan imunisasi dasar lengkap pada bayi",
            "%",
            H,
            "95",
            ("20", "45", "70", "95"),
            weight="2",
        ),
        IndicatorPlan("Prevalensi stunting pada balita", "%", L, "14", ("14", "14", "14", "14")),
        IndicatorPlan(
            "Waktu tunggu pelayanan rawat jalan puskesmas",
            "menit",
            R,
            "30",
            ("30", "30", "30", "30"),
            upper="60",
        ),
    ],
    [
        (
            "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
            "9800000000",
        )
    ],
)
VERIFIED_QUARTERS = (1, 2)


def _prepare(
    cast: DemoCast, user: User, plan: AgreementPlan
) -> tuple[PerformanceAgreement, list[Indicator]]:
    """The first party drafts the agreement and submits it; the Bupati approves it."""
    assert user.official is not None
    agreement = perf.agreement_create(
        pemda=cast.pemda, official=user.official, year=cast.year, acting_user=user
    )
    goal = perf.goal_add(agreement=agreement, name=plan.goal, acting_user=user)
    indicators = [
        perf.indicator_add(
            goal=goal,
            acting_user=user,
            name=item.name,
            unit_of_measure=item.unit,
            polarity=item.polarity,
            target=Decimal(item.target),
            target_upper=Decimal(item.upper) if item.upper else None,
            weight=Decimal(item.weight),
            quarter_targets={
                quarter: (Decimal(value), Decimal(item.upper) if item.upper else None)
                for quarter, value in enumerate(item.quarters, start=1)
            },
        )
        for item in plan.indicators
    ]
    for name, budget in plan.programmes:
        perf.programme_add(agreement=agreement, name=name, budget=Decimal(budget), acting_user=user)
    perf.agreement_submit(agreement=agreement, acting_user=user)
    perf.agreement_approve(agreement=agreement, acting_user=cast.bupati_user)
    return agreement, indicators


def _report(
    cast: DemoCast,
    user: User,
    agreement: PerformanceAgreement,
    indicators: list[Indicator],
    plan: AgreementPlan,
    quarter: int,
) -> None:
    """The first party reports a quarter with one evidence file; the Bupati verifies TW I-II."""
    label = f"{QUARTER_LABELS[quarter]} {cast.year}"
    rows = [("Indikator kinerja", "Satuan", "Target", "Realisasi")]
    for item in plan.indicators:
        target = item.quarters[quarter - 1] + (f"-{item.upper}" if item.upper else "")
        rows.append((item.name, item.unit, target, item.reported[quarter - 1]))
    unit_name = agreement.unit.name if agreement.unit else cast.pemda.name
    evidence = perf.EvidenceUpload(
        name=f"laporan-kinerja-tw{quarter}-{cast.year}.pdf",
        content=evidence_pdf(
            f"Laporan Realisasi Kinerja {label}",
            [unit_name, f"{agreement.official.full_name}, {agreement.position_title}"],
            rows,
        ),
        content_type="application/pdf",
    )
    for indicator, item in zip(indicators, plan.indicators, strict=True):
        realization = perf.realization_submit(
            indicator=indicator,
            quarter=quarter,
            value=Decimal(item.reported[quarter - 1]),
            acting_user=user,
            evidence=[evidence],
        )
        if quarter in VERIFIED_QUARTERS:
            perf.realization_verify(realization=realization, acting_user=cast.bupati_user)


def demo_agreements(cast: DemoCast, log: Log) -> list[PerformanceAgreement]:
    perf.budget_calendar_set(
        pemda=cast.pemda,
        year=cast.year,
        dpa_date=min(cast.today, dt.date(cast.year, 1, 5)),
        acting_user=cast.admin,
    )
    started = [q for q in (1, 2, 3) if perf.quarter_bounds(cast.year, q)[0] <= cast.today]
    signed = []
    for opd, plan in SIGNED.items():
        user = cast.account_of(opd)
        agreement, indicators = _prepare(cast, user, plan)
        perf.agreement_sign_first_party(
            agreement=agreement, acting_user=user, credential=DEMO_PASSWORD
        )
        perf.agreement_sign_second_party(
            agreement=agreement, acting_user=cast.bupati_user, credential=DEMO_PASSWORD
        )
        agreement.refresh_from_db()
        for quarter in started:
            if len(plan.indicators[0].reported) >= quarter:
                _report(cast, user, agreement, indicators, plan, quarter)
        signed.append(agreement)
    _prepare(cast, cast.kadis_user, WAITING)
    reported = ", ".join(QUARTER_LABELS[q] for q in started if q in VERIFIED_QUARTERS)
    log(
        f"{cast.pemda.name}: {len(signed)} performance agreements {cast.year} signed "
        f"(realizations verified: {reported or 'none yet'}), 1 approved and waiting for "
        "the signatures of kadis.{slug}".replace("{slug}", cast.pemda.slug)
    )
    return signed
