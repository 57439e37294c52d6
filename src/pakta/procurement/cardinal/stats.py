"""The statistics Cardinal uses, bit for bit.

Cardinal (statrs 0.16, ``OrderStatistics``) estimates the τ-quantile of n values as
h = (n + 1/3)·τ + 1/3, hf = ⌊h⌋ (truncated); the minimum if hf ≤ 0, the maximum if hf ≥ n,
otherwise x[hf-1] + (h - hf)·(x[hf] - x[hf-1]) on the sorted values: the "median-unbiased"
estimator (Hyndman & Fan type 8, numpy ``method="median_unbiased"``). Empty data gives NaN.
Fences use a fused multiply-add: q1 - 1.5·IQR = fma(IQR, -1.5, q1), q3 + 1.5·IQR =
fma(IQR, 1.5, q3)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

NAN = float("nan")


def quantile(values: Sequence[float], tau: float) -> float:
    if not (0.0 <= tau <= 1.0) or not values:
        return NAN
    data = sorted(values)
    n = len(data)
    h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0
    hf = int(h)
    if hf <= 0 or tau == 0.0:
        return data[0]
    if hf >= n or tau == 1.0:
        return data[-1]
    a = data[hf - 1]
    b = data[hf]
    return a + (h - hf) * (b - a)


def percentile(values: Sequence[float], p: int) -> float:
    return quantile(values, p / 100.0)


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    return quantile(values, 0.25), quantile(values, 0.75)


def mul_add(a: float, b: float, c: float) -> float:
    """a·b + c with one rounding, like Rust's ``f64::mul_add``."""
    if not all(math.isfinite(x) for x in (a, b, c)):
        return a * b + c
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def lower_fence(q1: float, q3: float) -> float:
    return mul_add(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    return mul_add(q3 - q1, 1.5, q3)


def round4(value: float) -> float | None:
    """Meta values as Cardinal writes them: (v·10⁴).round()/10⁴, half away from zero; NaN and
    infinities become null (serde_json)."""
    if not math.isfinite(value):
        return None
    scaled = value * 10_000.0
    rounded = math.floor(scaled + 0.5) if scaled >= 0 else -math.floor(-scaled + 0.5)
    result = rounded / 10_000.0
    return result if math.isfinite(result) else None
