"""The agreement as the official two-part document: the statement sheet (pernyataan) and the
attachment table (lampiran), on the same letterhead and with the same QR block as the pacts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from pakta.pacts.rendering import (
    logo_data_uri,
    qr_svg_data_uri,
    render_pdf,
    tanggal_id,
    verification_url,
)
from pakta.performance.models import QUARTER_LABELS, QUARTERS, PerformanceAgreement
from pakta.signing.models import SignedDocument


def angka(value: Any) -> str:
    """A number as Indonesian documents write it: ``1.250,5`` (no trailing zeros)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _dot, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    return f"{sign}{result},{fraction}" if fraction else f"{sign}{result}"


def rupiah(value: Any) -> str:
    """``Rp1.250.000`` (cents only when there are any: ``Rp1.250.000,50``)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    return "Rp" + angka(number)


def target_text(target: Any, upper: Any) -> str:
    if target is None:
        return ""
    if upper is not None and upper != target:
        return f"{angka(target)}\u2013{angka(upper)}"
    return angka(target)


def attachment_rows(agreement: PerformanceAgreement) -> list[dict[str, Any]]:
    """One row per indicator, the goal's cell spanning its indicators."""
    rows: list[dict[str, Any]] = []
    for number, goal in enumerate(
        agreement.goals.prefetch_related("indicators__targets").order_by("order", "pk"), start=1
    ):
        indicators = list(goal.indicators.all())
        for index, indicator in enumerate(indicators or [None]):
            row: dict[str, Any] = {
                "number": number if index == 0 else None,
                "goal": goal.name if index == 0 else None,
                "span": max(len(indicators), 1),
                "indicator": indicator,
                "quarters": [],
            }
            if indicator is not None:
                by_quarter = {t.quarter: t for t in indicator.targets.all()}
                row["target"] = target_text(indicator.target, indicator.target_upper)
                row["quarters"] = [
                    target_text(by_quarter[q].target, by_quarter[q].target_upper)
                    if q in by_quarter
                    else ""
                    for q in QUARTERS
                ]
            rows.append(row)
    return rows


def agreement_context(
    agreement: PerformanceAgreement, document: SignedDocument | None
) -> dict[str, Any]:
    pemda = agreement.pemda
    programmes = list(agreement.programmes.order_by("order", "pk"))
    token = document.token if document is not None else "preview"
    return {
        "title": document.title if document is not None else "Perjanjian Kinerja",
        "pemda": pemda,
        "logo": logo_data_uri(pemda),
        "agreement": agreement,
        "official": agreement.official,
        "superior": agreement.superior,
        "unit_name": agreement.unit.name if agreement.unit else pemda.name,
        "rows": attachment_rows(agreement),
        "quarter_labels": [QUARTER_LABELS[q] for q in QUARTERS],
        "programmes": [(i, p, rupiah(p.budget)) for i, p in enumerate(programmes, start=1)],
        "total_budget": rupiah(sum((p.budget for p in programmes), Decimal(0))),
        "place": pemda.seat or pemda.name,
        "date_text": tanggal_id(timezone.localdate()),
        "qr": qr_svg_data_uri(verification_url(token)),
        "verify_url": verification_url(token),
        "short_code": document.short_code_display if document is not None else "",
    }


def render_agreement(agreement: PerformanceAgreement, document: SignedDocument) -> bytes:
    return render_pdf(
        "performance/documents/agreement.html", agreement_context(agreement, document)
    )
