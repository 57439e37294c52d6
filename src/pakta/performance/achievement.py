"""Achievement (capaian) of an indicator, weighted roll-ups and the achievement bands.

Pure functions on ``Decimal``: no database, no settings read at import time. The formulas
(docs/performance.md):

- higher is better: realisasi / target x 100;
- lower is better: (2 x target - realisasi) / target x 100;
- a target range (lower-upper bound) for either polarity: the bound nearer the realisation
  (above the range: the upper bound; below it: the lower bound), inside the range: 100;
- within a range (closer is better): inside 100; above the range lower-is-better against the
  upper bound; below it higher-is-better against the lower bound.

Results are capped (``PAKTA_ACHIEVEMENT_CAP``, 120 by default), never below 0, and rounded to
two decimals. An empty or non-positive target gives a result without a value and a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

HIGHER, LOWER, RANGE = "higher", "lower", "range"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DEFAULT_CAP = Decimal(120)

# The bands of the LKjIP reports (Kab. Sampang): lowest capaian of each band, best first.
DEFAULT_BANDS: tuple[tuple[int, str], ...] = (
    (91, "sangat_baik"),
    (76, "baik"),
    (66, "cukup"),
    (51, "kurang"),
    (0, "sangat_kurang"),
)
BAND_LABELS = {
    "sangat_baik": _("Very good (Sangat Baik)"),
    "baik": _("Good (Baik)"),
    "cukup": _("Fair (Cukup)"),
    "kurang": _("Poor (Kurang)"),
    "sangat_kurang": _("Very poor (Sangat Kurang)"),
}


@dataclass(frozen=True)
class AchievementResult:
    """A capaian in percent, or ``None`` with the reason in ``message`` (translated, lazy)."""

    value: Decimal | None
    message: Any = ""
    capped: bool = False

    @property
    def ok(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        return f"{self.value}%" if self.value is not None else str(self.message)


def to_decimal(value: Any) -> Decimal | None:
    if value.__class__ is Decimal:  # the common case first (a million calls in an export)
        return value
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def cap_setting() -> Decimal:
    return Decimal(str(getattr(settings, "PAKTA_ACHIEVEMENT_CAP", DEFAULT_CAP)))


def _ratio_higher(actual: Decimal, target: Decimal) -> Decimal:
    return actual / target * HUNDRED


def _ratio_lower(actual: Decimal, target: Decimal) -> Decimal:
    return (2 * target - actual) / target * HUNDRED


def achievement(
    *,
    polarity: str,
    target: Any,
    actual: Any,
    target_upper: Any = None,
    cap: Any = None,
) -> AchievementResult:
    """The capaian of ``actual`` against ``target`` (or the range ``target``-``target_upper``)."""
    actual_d = to_decimal(actual)
    low = to_decimal(target)
    high = to_decimal(target_upper)
    if low is None and high is not None:
        low = high
    if high is None:
        high = low
    if low is None or high is None:
        return AchievementResult(None, _("No target has been set for this period."))
    if low > high:
        low, high = high, low
    if actual_d is None:
        return AchievementResult(None, _("No realization has been reported yet."))
    if polarity not in (HIGHER, LOWER, RANGE):
        return AchievementResult(None, _("The polarity of the indicator is unknown."))

    if low <= actual_d <= high and (polarity == RANGE or low != high):
        raw = HUNDRED  # inside a range
    else:
        # The bound the realisation is nearer to: the upper one above the range, else the lower.
        bound = high if actual_d > high else low
        if bound <= 0:
            return AchievementResult(
                None,
                _(
                    "The target is zero or negative, so the achievement cannot be computed as a "
                    "ratio; set a positive target or describe the result in the explanation."
                ),
            )
        if polarity == HIGHER:
            raw = _ratio_higher(actual_d, bound)
        elif polarity == LOWER:
            raw = _ratio_lower(actual_d, bound)
        else:  # within a range: above it lower is better, below it higher is better
            raw = (
                _ratio_lower(actual_d, bound) if actual_d > high else _ratio_higher(actual_d, bound)
            )

    limit = to_decimal(cap) if cap is not None else cap_setting()
    capped = False
    if limit is not None and raw > limit:
        raw, capped = limit, True
    raw = max(raw, Decimal(0))
    return AchievementResult(raw.quantize(CENT, rounding=ROUND_HALF_UP), capped=capped)


def weighted_average(parts: Iterable[tuple[Decimal | None, Any]]) -> Decimal | None:
    """The weighted mean of the values that exist and carry a positive weight (None if none)."""
    total = Decimal(0)
    weights = Decimal(0)
    for value, weight in parts:
        w = to_decimal(weight)
        if value is None or w is None or w <= 0:
            continue
        total += Decimal(value) * w
        weights += w
    if not weights:
        return None
    return (total / weights).quantize(CENT, rounding=ROUND_HALF_UP)


def bands_setting() -> Sequence[tuple[Any, str]]:
    return tuple(getattr(settings, "PAKTA_ACHIEVEMENT_BANDS", DEFAULT_BANDS))


def band_scale(bands: Sequence[tuple[Any, str]] | None = None) -> Callable[[Decimal | None], str]:
    """A function giving the code of the band a value falls in ("" for no value): the first band
    whose lower limit it reaches, the bands ordered best first. Sorted once, for many values."""
    ordered = sorted(
        ((Decimal(str(lowest)), code) for lowest, code in (bands or bands_setting())),
        key=lambda b: b[0],
        reverse=True,
    )

    def band_of(value: Decimal | None) -> str:
        if value is None:
            return ""
        for lowest, code in ordered:
            if value >= lowest:
                return code
        return ordered[-1][1] if ordered else ""

    return band_of


def band(value: Decimal | None, bands: Sequence[tuple[Any, str]] | None = None) -> str:
    """The code of the band ``value`` falls in ("" for no value)."""
    return band_scale(bands)(value)


def band_label(code: str) -> str:
    return str(BAND_LABELS.get(code, code))


__all__ = [
    "HIGHER",
    "LOWER",
    "RANGE",
    "AchievementResult",
    "achievement",
    "band",
    "band_label",
    "weighted_average",
]
