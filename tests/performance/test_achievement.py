"""The capaian formulas, by worked examples and by properties that hold for any numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pakta.performance.achievement import (
    AchievementResult,
    achievement,
    band,
    band_label,
    weighted_average,
)

D = Decimal
CAP = D(120)
values = st.decimals(min_value=D("0"), max_value=D("100000"), places=2, allow_nan=False)
targets = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2, allow_nan=False)
polarities = st.sampled_from(["higher", "lower", "range"])


def value(polarity: str, target, actual, upper=None, cap=CAP) -> Decimal:
    result = achievement(
        polarity=polarity, target=target, actual=actual, target_upper=upper, cap=cap
    )
    assert result.value is not None, result.message
    return result.value


# --- Worked examples (docs/performance.md) -------------------------------------------------------


def test_higher_is_better() -> None:
    assert value("higher", 80, 60) == D("75.00")
    assert value("higher", 20, 21) == D("105.00")


def test_lower_is_better() -> None:
    assert value("lower", 10, 8) == D("120.00")
    assert value("lower", 10, 12) == D("80.00")


def test_target_range_7_to_8_months() -> None:
    # Lower is better with a range target: against the nearer bound.
    assert value("lower", 7, D("6.5"), upper=8) == D("107.14")
    assert value("lower", 7, 9, upper=8) == D("87.50")
    assert value("lower", 7, D("7.5"), upper=8) == D("100.00")


def test_within_a_range() -> None:
    assert value("range", 40, 50, upper=60) == D("100.00")
    assert value("range", 40, 30, upper=60) == D("75.00")  # below: 30/40
    assert value("range", 40, 66, upper=60) == D("90.00")  # above: (120-66)/60


def test_cap_and_floor() -> None:
    result = achievement(polarity="higher", target=10, actual=50)
    assert result.value == D("120.00") and result.capped  # PAKTA_ACHIEVEMENT_CAP
    assert value("higher", 10, 50, cap=150) == D("150.00")
    assert value("lower", 10, 35) == D("0.00")  # (20-35)/10 is not a negative capaian


@pytest.mark.parametrize("target", [None, "", 0, "0", -5])
def test_empty_or_zero_target_gives_a_message_not_an_error(target) -> None:
    with translation.override("en"):
        result = achievement(polarity="higher", target=target, actual=5)
        assert result.value is None
        assert "target" in str(result.message)
        assert str(result) == str(result.message)


def test_no_realization_yet() -> None:
    with translation.override("en"):
        result = achievement(polarity="higher", target=5, actual=None)
    assert result.value is None and "realization" in str(result.message)


def test_message_is_translated() -> None:
    with translation.override("id"):
        message = str(achievement(polarity="higher", target=0, actual=1).message)
    with translation.override("en"):
        english = str(achievement(polarity="higher", target=0, actual=1).message)
    assert message and english and message != english


def test_bands_follow_the_setting(settings) -> None:
    assert band(D("91")) == "sangat_baik"
    assert band(D("90.99")) == "baik"
    assert band(D("76")) == "baik"
    assert band(D("66")) == "cukup"
    assert band(D("51")) == "kurang"
    assert band(D("50.99")) == "sangat_kurang"
    assert band(None) == ""
    settings.PAKTA_ACHIEVEMENT_BANDS = ((100, "tercapai"), (0, "belum"))
    assert band(D("99")) == "belum" and band(D("100")) == "tercapai"
    with translation.override("id"):
        assert band_label("sangat_baik") != ""


# --- Properties ----------------------------------------------------------------------------------


@given(polarity=polarities, target=targets, a=values, b=values)
def test_monotone_by_polarity(polarity: str, target: Decimal, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    first, second = value(polarity, target, low), value(polarity, target, high)
    if polarity == "higher":
        assert first <= second
    elif polarity == "lower":
        assert first >= second
    else:  # within a range (a single target): rises up to the target, falls after it
        if high <= target:
            assert first <= second
        elif low >= target:
            assert first >= second


@given(polarity=polarities, lower=targets, width=values, a=values, b=values)
def test_monotone_with_a_target_range(
    polarity: str, lower: Decimal, width: Decimal, a: Decimal, b: Decimal
) -> None:
    upper = lower + width
    low, high = sorted((a, b))
    first, second = value(polarity, lower, low, upper), value(polarity, lower, high, upper)
    if polarity == "higher":
        assert first <= second
    elif polarity == "lower":
        assert first >= second
    elif high <= lower:
        assert first <= second
    elif low >= upper:
        assert first >= second


@given(
    polarity=polarities,
    target=targets,
    actual=values,
    cap=st.decimals(min_value=D("100"), max_value=D("500"), places=0),
)
def test_cap_is_respected_and_never_negative(
    polarity: str, target: Decimal, actual: Decimal, cap: Decimal
) -> None:
    result = value(polarity, target, actual, cap=cap)
    assert D(0) <= result <= cap


@given(target=targets, delta=values)
def test_lower_is_better_is_symmetric_around_the_target(target: Decimal, delta: Decimal) -> None:
    assume(delta <= target * D("0.2"))  # within the cap and above the floor
    better = value("lower", target, target - delta)
    worse = value("lower", target, target + delta)
    assert abs((better - D(100)) - (D(100) - worse)) <= D("0.01")


@given(polarity=polarities, actual=st.one_of(st.none(), values))
@hypothesis_settings(max_examples=50)
def test_zero_or_empty_target_never_raises(polarity: str, actual) -> None:
    for target in (None, "", 0, D("0"), "0.00"):
        result = achievement(polarity=polarity, target=target, actual=actual)
        assert isinstance(result, AchievementResult)
        if target in (None, ""):
            assert result.value is None


@given(lower=targets, width=values, share=st.floats(min_value=0, max_value=1))
def test_inside_a_range_is_100(lower: Decimal, width: Decimal, share: float) -> None:
    upper = lower + width
    actual = lower + (width * D(str(share))).quantize(D("0.01"))
    assume(actual <= upper)
    assert value("range", lower, actual, upper) == D("100.00")


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=D("0"), max_value=D("120"), places=2),
            st.decimals(min_value=D("0.01"), max_value=D("100"), places=2),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_weighted_rollup_lies_between_its_parts(parts: list[tuple[Decimal, Decimal]]) -> None:
    result = weighted_average(parts)
    assert result is not None
    smallest = min(v for v, _w in parts)
    largest = max(v for v, _w in parts)
    assert smallest - D("0.01") <= result <= largest + D("0.01")


def test_weighted_rollup_skips_missing_values_and_zero_weights() -> None:
    assert weighted_average([(D(100), 2), (None, 5), (D(70), 1), (D(10), 0)]) == D("90.00")
    assert weighted_average([(None, 1)]) is None
