"""Cardinal's indicators, each from its definition (cardinal-rs docs/cli/indicators/R/*.md),
with the edge cases the definitions name. Pure functions: no database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pakta.procurement.cardinal import stats
from pakta.procurement.cardinal.engine import run
from pakta.procurement.cardinal.settings import Settings, SettingsError, parse_settings


def bid(
    tenderer: str | list[str], amount: float | None = None, status: str = "valid", **extra: Any
) -> dict[str, Any]:
    ids = [tenderer] if isinstance(tenderer, str) else tenderer
    result: dict[str, Any] = {"status": status, "tenderers": [{"id": i} for i in ids], **extra}
    if amount is not None:
        result["value"] = {"amount": amount, "currency": extra.pop("currency", "IDR")}
    return result


def award(*suppliers: str, status: str = "active", **extra: Any) -> dict[str, Any]:
    return {"status": status, "suppliers": [{"id": s} for s in suppliers], **extra}


def release(
    ocid: str,
    bids: list[dict[str, Any]] | None = None,
    awards: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    result: dict[str, Any] = {"ocid": ocid, **extra}
    if bids is not None:
        result["bids"] = {"details": bids}
    if awards is not None:
        result["awards"] = awards
    return result


def indicators(releases: list[Any], ini: str, **kwargs: Any) -> dict[str, Any]:
    return run(releases, parse_settings(ini), meta=kwargs.pop("meta", False), **kwargs)


# --- Statistics ---------------------------------------------------------------------------------


def test_quartiles_are_median_unbiased_like_statrs() -> None:
    # numpy.quantile([1, 2, 3, 4], [.25, .75], method="median_unbiased") == [1.41666…, 3.58333…]
    q1, q3 = stats.quartiles([4.0, 1.0, 3.0, 2.0])
    assert q1 == pytest.approx(1.4166666666666667) and q3 == pytest.approx(3.5833333333333335)
    assert stats.quartiles([5.0]) == (5.0, 5.0)
    assert all(v != v for v in stats.quartiles([]))  # NaN on no data
    assert stats.percentile([1.0] * 9 + [10.0], 75) == 1.0
    assert stats.lower_fence(1.0, 3.0) == -2.0 and stats.upper_fence(1.0, 3.0) == 6.0
    assert stats.round4(0.123456) == 0.1235 and stats.round4(float("nan")) is None


# --- R003 Short submission period ---------------------------------------------------------------


def period(start: str, end: str, **tender: Any) -> dict[str, Any]:
    return {"tenderPeriod": {"startDate": start, "endDate": end}, **tender}


def test_r003_exactly_15_days_is_not_flagged_and_14_days_23_hours_is() -> None:
    releases = [
        release("15", tender=period("2024-03-01T00:00:00+07:00", "2024-03-16T00:00:00+07:00")),
        release("14", tender=period("2024-03-01T00:00:00+07:00", "2024-03-15T23:00:00+07:00")),
        release("zone", tender=period("2024-03-01T00:00:00Z", "2024-03-15T23:00:00+07:00")),
        release("naive", tender=period("2024-03-01T00:00:00", "2024-03-02T00:00:00")),
    ]
    assert indicators(releases, "[R003]") == {"OCID": {"14": {"R003": 1.0}, "zone": {"R003": 1.0}}}


def test_r003_threshold_methods_and_details() -> None:
    short = period("2024-03-01T00:00:00Z", "2024-03-08T00:00:00Z")  # 7 days
    releases = [
        release("open", tender={**short, "procurementMethod": "open"}),
        release("direct", tender={**short, "procurementMethod": "direct"}),
        release(
            "emergency",
            tender={**short, "procurementMethod": "open", "procurementMethodDetails": "Darurat"},
        ),
    ]
    ini = "[R003]\nthreshold = 8\nprocurement_methods = open|selective\n[R003.procurement_method_details]\nDarurat = 5\n"
    assert indicators(releases, ini) == {"OCID": {"open": {"R003": 1.0}}}


# --- R018 Single bid received -------------------------------------------------------------------


def test_r018_one_tenderer_in_open_or_selective() -> None:
    releases = [
        release("open", tender={"procurementMethod": "open", "numberOfTenderers": 1}),
        release("selective", tender={"procurementMethod": "selective", "numberOfTenderers": 1}),
        release("direct", tender={"procurementMethod": "direct", "numberOfTenderers": 1}),
        release("two", tender={"procurementMethod": "open", "numberOfTenderers": 2}),
        release("float", tender={"procurementMethod": "open", "numberOfTenderers": 1.0}),
    ]
    assert set(indicators(releases, "[R018]")["OCID"]) == {"open", "selective"}
    assert set(indicators(releases, "[R018]\nprocurement_methods = direct")["OCID"]) == {"direct"}


# --- R024 / R058: difference between the winning and the second-lowest valid bid ---------------


def priced(ocid: str, winner: float, second: float, **kw: Any) -> dict[str, Any]:
    return release(ocid, [bid("W", winner), bid(f"L{ocid}", second)], [award("W")], **kw)


def test_r024_flags_low_outliers_with_winner_and_second() -> None:
    releases = [priced(str(i), 100, 100 + d) for i, d in enumerate([10, 10, 10, 10, 11, 12])]
    releases.append(priced("close", 100, 100.5))  # difference 0.005
    result = indicators(releases, "[R024]", meta=True)
    assert result["OCID"] == {"close": {"R024": 0.005}}
    assert result["Tenderer"] == {"W": {"R024": 0.0}, "Lclose": {"R024": 0.0}}
    meta = result["Meta"]["R024"]
    assert meta["q1"] == 0.1 and meta["lower_fence"] < 0.1


def test_r024_exclusions_winner_not_lowest_multiple_awards_pending_consortium_currency() -> None:
    base = [priced(str(i), 100, 101) for i in range(4)]  # all differences 0.01
    excluded = [
        priced("not lowest", 102, 101),
        release("two awards", [bid("W", 100), bid("L", 101)], [award("W"), award("W")]),
        release(
            "pending", [bid("W", 100), bid("L", 101)], [award("W"), award("X", status="pending")]
        ),
        release("consortium", [bid("W", 100), bid(["L", "M"], 101)], [award("W")]),
        release("two suppliers", [bid("W", 100), bid("L", 101)], [award("W", "X")]),
        release(
            "dollars", [bid("W", 100, currency="USD"), bid("L", 101, currency="USD")], [award("W")]
        ),
    ]
    result = indicators(base + excluded, "[R024]\nthreshold = 0.05")
    assert set(result["OCID"]) == {"0", "1", "2", "3"}
    # A tie (second-lowest equal to the winning bid) is a difference of 0: kept, but q1 = 0 means
    # Cardinal flags nothing rather than three quarters of the processes.
    ties = [priced(str(i), 100, 100) for i in range(8)]
    assert indicators(ties, "[R024]") == {}


def test_r058_flags_high_outliers() -> None:
    releases = [priced(str(i), 100, 101 + i) for i in range(7)] + [priced("lemon", 1, 101)]
    result = indicators(releases, "[R058]")
    assert result == {"OCID": {"lemon": {"R058": 100.0}}, "Tenderer": {"W": {"R058": 0.0}}}


# --- R025 Excessive unsuccessful bids -----------------------------------------------------------


def test_r025_top_tenderer_with_few_wins() -> None:
    releases = [release(str(i), [bid("F"), bid(f"T{i}")], [award(f"T{i}")]) for i in range(10)]
    releases += [release(f"solo{i}", [bid("F")], [award("F")]) for i in range(2)]
    # F: 2 wins of 12 processes, the most bids (at or above the 75th percentile); each Ti: 1 of 1.
    result = indicators(releases, "[R025]\nthreshold = 0.5\npercentile = 75")
    assert result == {"Tenderer": {"F": {"R025": 2 / 12}}}
    # Without a threshold: ratios (1 x 10, 0.17) give q1 = q3 = 1 and a lower fence of 1, so every
    # top tenderer at or below it is flagged, the Ti included (Cardinal's inclusive fences).
    assert "F" in indicators(releases, "[R025]")["Tenderer"]


# --- R028 Identical bid prices ------------------------------------------------------------------


def test_r028_identical_prices_of_different_tenderers() -> None:
    releases = [
        release("same", [bid("A", 100), bid("B", 100), bid("C", 90)]),
        release("one tenderer twice", [bid("A", 100), bid("A", 100)]),
        release("withdrawn", [bid("A", 100), bid("B", 100, status="withdrawn")]),
        release("currency", [bid("A", 100), bid("B", 100, currency="USD")]),
    ]
    result = indicators(releases, "[R028]")
    assert result == {
        "OCID": {"same": {"R028": 1.0}},
        "Tenderer": {"A": {"R028": 1.0}, "B": {"R028": 1.0}},
    }


# --- R030 Late bid won --------------------------------------------------------------------------


def test_r030_valid_late_bid_of_the_supplier() -> None:
    tender = {"tenderPeriod": {"endDate": "2024-03-10T12:00:00+07:00"}}
    releases = [
        release("late", [bid("W", date="2024-03-10T13:00:00+07:00")], [award("W")], tender=tender),
        release(
            "on time", [bid("W", date="2024-03-10T12:00:00+07:00")], [award("W")], tender=tender
        ),
        release(
            "late loser",
            [bid("L", date="2024-03-11T00:00:00+07:00"), bid("W")],
            [award("W")],
            tender=tender,
        ),
    ]
    result = indicators(releases, "[R030]", map=True)
    assert result["OCID"] == {"late": {"R030": 1.0}}
    assert result["Maps"]["ocid_tenderer_r030"] == {"late": ["W"]}


# --- R035 All except winning bid disqualified ---------------------------------------------------


def test_r035_single_valid_tenderer_wins_others_disqualified() -> None:
    disq = [bid("D1", status="disqualified"), bid("D2", status="disqualified")]
    releases = [
        release("flag", [bid("W"), *disq], [award("W")]),
        # Several active awards to the same single tenderer: still one winner.
        release("two awards", [bid("W"), *disq], [award("W"), award("W")]),
        release("two valid", [bid("W"), bid("V"), *disq], [award("W")]),
        release("pending", [bid("W"), *disq], [award("W"), award("W", status="pending")]),
    ]
    result = indicators(releases, "[R035]")
    assert result["OCID"] == {"flag": {"R035": 2.0}, "two awards": {"R035": 2.0}}
    assert result["Tenderer"] == {"W": {"R035": 0.0}}
    assert indicators(releases, "[R035]\nthreshold = 3") == {}


# --- R036 Lowest bid disqualified ---------------------------------------------------------------


def test_r036_lowest_submitted_bid_disqualified() -> None:
    releases = [
        release("flag", [bid("A", 90, status="disqualified"), bid("W", 100)], [award("W")]),
        release("no award", [bid("A", 90, status="disqualified"), bid("W", 100)], []),
        release("no valid priced", [bid("A", 90, status="disqualified"), bid("W")], [award("W")]),
        release(
            "lowest valid", [bid("A", 110, status="disqualified"), bid("W", 100)], [award("W")]
        ),
    ]
    assert indicators(releases, "[R036]") == {"OCID": {"flag": {"R036": 1.0}}}


# --- R038 Excessive disqualified bids -----------------------------------------------------------


def test_r038_buyer_procuring_entity_and_tenderer() -> None:
    def proc(ocid: str, buyer: str, disq: bool) -> dict[str, Any]:
        bids = [bid("W"), bid("D", status="disqualified" if disq else "valid")]
        return release(ocid, bids, buyer={"id": buyer}, tender={"procuringEntity": {"id": buyer}})

    releases = [proc("0", "B", True), *(proc(str(i), f"X{i}", False) for i in range(1, 5))]
    result = indicators(releases, "[R038]")
    assert result["Buyer"] == {"B": {"R038": 0.5}}
    assert result["ProcuringEntity"] == {"B": {"R038": 0.5}}
    assert "Tenderer" not in result  # D: 1 of 5 disqualified; fence over ratios (0, 0.2) is higher
    assert indicators(releases, "[R038]\nthreshold = 0.1")["Tenderer"] == {"D": {"R038": 0.2}}


# --- R048 Heterogeneous supplier ----------------------------------------------------------------


def test_r048_variety_of_first_level_classifications() -> None:
    def proc(ocid: str, supplier: str, code: str) -> dict[str, Any]:
        items = [{"classification": {"id": code}}]
        return release(ocid, awards=[award(supplier, items=items)])

    releases = [proc(f"w{i}", "WIDE", f"{10 + i}000000") for i in range(5)]
    releases += [proc(f"n{i}-{j}", f"N{i}", "43000000") for i in range(4) for j in range(2)]
    ini = "[R048]\nminimum_contracting_processes = 2\n"
    assert indicators(releases, ini) == {"Tenderer": {"WIDE": {"R048": 5.0}}}
    assert indicators(releases, "[R048]\n") == {}  # fewer than 20 processes each


# --- Global exclusions and settings -------------------------------------------------------------


def test_global_exclusions() -> None:
    disq = [bid("W"), bid("D", status="disqualified")]
    releases = [
        release("cancelled", disq, [award("W")], tender={"status": "cancelled"}),
        {"ocid": 5, "bids": {"details": disq}, "awards": [award("W")]},
        release("excluded", disq, [award("W")], tender={"procurementMethodDetails": "Swakelola"}),
        release("kept", disq, [award("W")]),
        "not an object",
    ]
    ini = "[exclusions]\nprocurement_method_details = Swakelola\n[R035]\n"
    assert indicators(releases, ini)["OCID"] == {"kept": {"R035": 1.0}}


@pytest.mark.parametrize(
    ("ini", "line", "path"),
    [
        ("[R024]\nthresold = 0.1\n", 2, "R024.thresold"),
        ("[R024]\nthreshold = -0.1\n", 2, "R024.threshold"),
        ("[R035]\n; comment\nthreshold = -1\n", 3, "R035.threshold"),
        ("[R003]\nthreshold = lima belas\n", 2, "R003.threshold"),
        ("colour = red\n", 1, "colour"),
        ("[R999]\n", 1, "R999"),
    ],
)
def test_settings_errors_name_line_and_path(ini: str, line: int, path: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(ini)
    assert (caught.value.line, caught.value.path) == (line, path)


def test_settings_file_of_cardinal_init_is_read() -> None:
    settings = parse_settings(
        "; currency = USD\ncurrency = IDR\n[defaults]\n; bid_status = valid\n[codelists.bid_status]\n"
        "qualified = valid\n[exclusions]\n[R003]\n; threshold = 15\n[R025]\npercentile = 75 # default\n"
    )
    assert settings.currency == "IDR"
    assert set(settings.indicators) == {"R003", "R025"}
    assert settings.indicators["R025"] == {"percentile": 75}
    assert set(Settings.all_defaults().indicators) >= {"R018", "R058"}


def test_command_prints_cardinal_document(tmp_path: Path) -> None:
    data = tmp_path / "releases.jsonl"
    lines = [json.dumps(priced(str(i), 100, 101 + i)) for i in range(7)]
    lines += [json.dumps(priced("lemon", 1, 101)), "not json", ""]
    data.write_text("\n".join(lines) + "\n")
    ini = tmp_path / "settings.ini"
    ini.write_text("[R058]\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pakta",
            "procurement",
            "indicators",
            "--settings",
            str(ini),
            "--map",
            str(data),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    document = json.loads(done.stdout)
    assert document["OCID"] == {"lemon": {"R058": 100.0}}
    assert (
        document["Meta"]["R058"] == {"q1": 0.0, "q3": 0.0, "upper_fence": 0.0}
        or "upper_fence" in document["Meta"]["R058"]
    )
    assert document["Maps"]["ocid_tenderer_r058"] == {"lemon": ["W"]}
    assert "Line 9 is invalid JSON" in done.stderr
    ini.write_text("[R058]\nthreshold = -1\n")
    failed = subprocess.run(
        [sys.executable, "-m", "pakta", "procurement", "indicators", "-s", str(ini), str(data)],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 2 and "line 2: R058.threshold" in failed.stderr
