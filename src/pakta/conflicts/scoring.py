"""Weights of screening findings (configuration) and the risk score.

A declaration's (or a decision's) risk score is the sum over its open and confirmed findings of
weight times match score. The Inspektorat's queue is ordered by it. Override any weight with the
setting ``PAKTA_COI_WEIGHTS`` (a dict of finding kind → weight); see docs/conflicts.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

DEFAULT_WEIGHTS: dict[str, float] = {
    # A relationship found that the member declared as "none": the most serious.
    "undeclared": 10.0,
    # Between declarations and decisions.
    "company_tenderer": 8.0,
    "relative_tenderer": 7.0,
    "relative_candidate": 7.0,
    "vendor_official": 6.0,
    "relative_supervised": 4.0,
    "shared_family_name": 2.0,
    # Completeness and plausibility.
    "changed_after_open": 3.0,
    "missing_declaration": 3.0,
    "missing_section": 1.0,
}


def weight(kind: str) -> Decimal:
    configured = getattr(settings, "PAKTA_COI_WEIGHTS", {}) or {}
    return Decimal(str(configured.get(kind, DEFAULT_WEIGHTS.get(kind, 1.0))))


def risk(findings: list[tuple[Decimal, Decimal]]) -> Decimal:
    return sum((w * s for w, s in findings), Decimal(0)).quantize(Decimal("0.01"))
