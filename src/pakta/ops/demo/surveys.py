"""Demo SPI results (see ``pakta.ops.demo_content``): three years of KPK's integrity survey.

The kabupaten climbs from *rentan* (2023, 2024) to *waspada* (2025); procurement stays its
weakest dimension, and KPK's recommendations of 2025 say so.
"""

from __future__ import annotations

from decimal import Decimal

from pakta.ops.demo_content import DemoCast, Log
from pakta.surveys import services as surveys
from pakta.surveys.models import Dimension, SpiFinding

DIMENSIONS = (
    "dim_transparency",
    "dim_hr_management",
    "dim_budget_management",
    "dim_integrity_in_duties",
    "dim_trading_in_influence",
    "dim_procurement",
    "dim_anticorruption_socialisation",
)
GROUPS = ("group_internal", "group_external", "group_expert")
# year: (index, correction factor, respondents, the seven dimensions, the three groups)
RESULTS = {
    2023: (
        "68.42",
        "-1.35",
        1046,
        ("66.10", "64.85", "70.32", "78.90", "63.40", "58.75", "72.60"),
        ("74.80", "66.15", "61.30"),
    ),
    2024: (
        "71.08",
        "-0.95",
        1180,
        ("69.40", "67.20", "72.85", "80.15", "66.90", "62.30", "75.10"),
        ("77.20", "69.05", "64.80"),
    ),
    2025: (
        "74.36",
        "-0.60",
        1235,
        ("72.85", "70.10", "75.40", "82.30", "70.25", "65.80", "78.45"),
        ("79.60", "72.40", "68.90"),
    ),
}
FINDINGS = [
    (
        Dimension.PROCUREMENT,
        "Memperkuat transparansi dan pengawasan pengadaan barang/jasa: umumkan seluruh rencana "
        "umum pengadaan di SiRUP, terapkan pernyataan bebas benturan kepentingan bagi pejabat "
        "pengadaan, dan lakukan probity audit atas paket bernilai besar.",
    ),
    (
        Dimension.TRADING_IN_INFLUENCE,
        "Menetapkan dan menegakkan kebijakan penanganan benturan kepentingan dalam mutasi dan "
        "promosi jabatan, termasuk larangan intervensi pihak luar.",
    ),
    (
        Dimension.HR,
        "Menyelenggarakan seleksi terbuka jabatan pimpinan tinggi secara transparan dan "
        "mengumumkan hasil setiap tahapannya kepada publik.",
    ),
]


def demo_spi(cast: DemoCast, log: Log) -> SpiFinding:
    """Record the results (by the Inspektorat) and KPK's 2025 recommendations; returns the first."""
    result = None
    for year, (index, correction, respondents, dimensions, groups) in RESULTS.items():
        scores = {
            **{name: Decimal(v) for name, v in zip(DIMENSIONS, dimensions, strict=True)},
            **{name: Decimal(v) for name, v in zip(GROUPS, groups, strict=True)},
        }
        result = surveys.spi_result_save(
            pemda=cast.pemda,
            year=year,
            acting_user=cast.inspektorat,
            index=Decimal(index),
            correction_factor=Decimal(correction),
            respondents=respondents,
            **scores,
        )
    assert result is not None
    findings = [
        surveys.spi_finding_add(
            result=result, text=text, dimension=dimension, acting_user=cast.inspektorat
        )
        for dimension, text in FINDINGS
    ]
    log(
        f"{cast.pemda.name}: SPI results {min(RESULTS)}-{max(RESULTS)} recorded, "
        f"{len(findings)} KPK recommendations for {result.year}"
    )
    return findings[0]
