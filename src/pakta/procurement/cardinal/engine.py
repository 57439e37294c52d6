"""Cardinal's ``indicators`` command, in Python.

One pass over the compiled releases (``fold``), then the statistics (``finalize``), in the same
order as Cardinal: the helpers (tenderer map, second-lowest-bid ratio), then R003 … R058. The
conditions of each indicator follow cardinal-rs (src/lib.rs and src/indicators/r*.rs) and its
documentation (docs/cli/indicators/R/*.md); docs/procurement.md lists them."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from pakta.procurement.cardinal import stats
from pakta.procurement.cardinal.settings import Settings

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
MAP_KEYS = (
    "ocid_buyer_r038",
    "ocid_procuringentity_r038",
    "ocid_tenderer",
    "ocid_tenderer_r024",
    "ocid_tenderer_r028",
    "ocid_tenderer_r030",
    "ocid_tenderer_r035",
    "ocid_tenderer_r058",
)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _obj(parent: Any, key: str) -> dict[str, Any] | None:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else None


def _arr(parent: Any, key: str) -> list[Any] | None:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, list) else None


def _str(parent: Any, key: str) -> str | None:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, str) else None


def _details(release: dict[str, Any]) -> list[Any] | None:
    return _arr(_obj(release, "bids"), "details")


def complete_awards_and_bids(release: dict[str, Any]) -> tuple[list[Any], list[Any]] | None:
    """The active awards and the bids, if every award with a status is final (active, cancelled
    or unsuccessful). Needs ``awards`` and ``bids/details`` arrays."""
    awards = _arr(release, "awards")
    details = _details(release)
    if awards is None or details is None:
        return None
    complete = []
    for award in awards:
        status = _str(award, "status")
        if status is None:
            continue
        if status == "active":
            complete.append(award)
        elif status not in {"cancelled", "unsuccessful"}:
            return None
    return complete, details


NOT_SUBMITTED = frozenset({"invited", "withdrawn"})


def submitted_bids(release: dict[str, Any]) -> list[dict[str, Any]]:
    """Bids with a status other than invited or withdrawn (pending, valid, disqualified…)."""
    result = []
    for bid in _details(release) or ():
        status = _str(bid, "status")
        if status is not None and status not in {"invited", "withdrawn"}:
            result.append(bid)
    return result


def _amount_currency(bid: Any) -> tuple[float, str] | None:
    value = _obj(bid, "value")
    if value is None:
        return None
    amount = value.get("amount")
    currency = _str(value, "currency")
    if not _is_number(amount) or currency is None:
        return None
    return float(amount), currency  # type: ignore[arg-type]


def _single_tenderer(bid: Any) -> str | None:
    tenderers = _arr(bid, "tenderers")
    if tenderers is None or len(tenderers) != 1:
        return None
    return _str(tenderers[0], "id")


def _single_supplier(award: Any) -> str | None:
    suppliers = _arr(award, "suppliers")
    if suppliers is None or len(suppliers) != 1:
        return None
    return _str(suppliers[0], "id")


class BidView(NamedTuple):
    """What the indicators read of one ``bids/details`` entry, read once per release."""

    status: str | None
    ids: list[str] | None  # the tenderers' string ids; None when ``tenderers`` is not an array
    single: str | None  # the id when exactly one tenderer
    priced: tuple[float, str] | None  # (amount, currency) when both are set
    date: str | None


def bid_views(details: list[Any] | None) -> list[BidView]:
    views = []
    for bid in details or ():
        if not isinstance(bid, dict):
            views.append(BidView(None, None, None, None, None))
            continue
        status = bid.get("status")
        tenderers = bid.get("tenderers")
        ids: list[str] | None = None
        single = None
        if isinstance(tenderers, list):
            ids = [
                t["id"] for t in tenderers if isinstance(t, dict) and isinstance(t.get("id"), str)
            ]
            if len(tenderers) == 1 and ids:
                single = ids[0]
        date = bid.get("date")
        views.append(
            BidView(
                status if isinstance(status, str) else None,
                ids,
                single,
                _amount_currency(bid),
                date if isinstance(date, str) else None,
            )
        )
    return views


def final_awards(release: dict[str, Any]) -> list[Any] | None:
    """The active awards if every award with a status is final and ``awards`` and
    ``bids/details`` are arrays (see ``complete_awards_and_bids``)."""
    found = complete_awards_and_bids(release)
    return found[0] if found is not None else None


def matches_method(tender: dict[str, Any], methods: set[str]) -> bool:
    if not methods:
        return True
    method = _str(tender, "procurementMethod")
    return method is not None and method in methods


def matches_method_details(release: dict[str, Any], include: set[str], exclude: set[str]) -> bool:
    details = _str(_obj(release, "tender"), "procurementMethodDetails")
    if details is None:
        return not include
    if not include:
        return details not in exclude
    return details in include


def parse_rfc3339(text: str) -> dt.datetime | None:
    """A date-time with a time zone (RFC 3339), else None."""
    if len(text) < 20 or text[10] not in "Tt ":
        return None
    candidate = text[:-1] + "+00:00" if text[-1] in "Zz" else text
    try:
        value = dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def whole_days(start: dt.datetime, end: dt.datetime) -> int:
    """chrono's ``num_days``: whole days, truncated toward zero."""
    delta = end - start
    seconds = delta.days * 86_400 + delta.seconds
    return seconds // 86_400 if seconds >= 0 else -((-seconds) // 86_400)


class Engine:
    """Fold releases one by one, then ``finalize()`` for the JSON document."""

    def __init__(self, settings: Settings, *, map: bool = False) -> None:
        self.settings = settings
        self.map = map
        on = settings.indicators
        self.on = on
        self.price_comparison = settings.price_comparison_procurement_methods or set()
        self.no_price_comparison = settings.no_price_comparison_procurement_methods or set()
        self.exclude_details = settings.exclusions.get("procurement_method_details") or set()
        self.track_tenderers = map and bool({"R025", "R038", "R048"} & on.keys())
        self.second_lowest = bool({"R024", "R058"} & on.keys())
        self.currency: str | None = None
        self.results: dict[str, dict[str, dict[str, float]]] = {g: {} for g in GROUPS}
        self.meta: dict[str, dict[str, float]] = {}
        self.maps: dict[str, dict[str, Any]] = {key: {} for key in MAP_KEYS}
        self.second_lowest_ratios: dict[str, float] = {}
        self.winner_and_second: dict[str, tuple[str, str]] = {}
        self.r025: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.r038_buyer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.r038_pe: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.r038_tenderer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.r048: dict[str, tuple[list[int], set[str]]] = {}
        r003 = on.get("R003", {})
        self.r003_threshold = r003.get("threshold", 15)
        self.r003_methods = r003.get("procurement_methods") or set()
        self.r003_details = settings.r003_procurement_method_details
        r018 = on.get("R018", {})
        self.r018_methods = r018.get("procurement_methods", {"open", "selective"})
        self.r035_threshold = max(on.get("R035", {}).get("threshold", 1), 1)
        r048 = on.get("R048", {})
        self.r048_digits = r048.get("digits", 2)
        self.r048_minimum = r048.get("minimum_contracting_processes", 20)

    # --- helpers --------------------------------------------------------------------------

    def _set(self, group: str, key: str, code: str, value: float) -> None:
        self.results[group].setdefault(key, {})[code] = value

    def _map(self, name: str, ocid: str, tenderer: str) -> None:
        if self.map:
            self.maps[name].setdefault(ocid, set()).add(tenderer)

    def _main_currency(self, currency: str) -> str:
        if self.currency is None:
            self.currency = self.settings.currency or currency
        return self.currency

    def _price_comparison(self, release: dict[str, Any]) -> bool:
        return matches_method_details(release, self.price_comparison, self.no_price_comparison)

    # --- fold -----------------------------------------------------------------------------

    def fold(self, release: Any) -> None:
        if not isinstance(release, dict):
            return
        ocid = release.get("ocid")
        if not isinstance(ocid, str):
            return
        tender = _obj(release, "tender")
        if _str(tender, "status") == "cancelled":
            return
        if not matches_method_details(release, set(), self.exclude_details):
            return
        on = self.on
        # Computed once per release, shared by the indicators that need them.
        views = bid_views(_details(release))
        subs = [v for v in views if v.status is not None and v.status not in NOT_SUBMITTED]
        found = final_awards(release)
        priced = matches_method_details(release, self.price_comparison, self.no_price_comparison)
        if self.track_tenderers:
            for view in subs:
                for tid in view.ids or ():
                    self.maps["ocid_tenderer"].setdefault(ocid, set()).add(tid)
        if self.second_lowest and priced:
            self._fold_second_lowest(found, views, ocid)
        if "R003" in on:
            self._fold_r003(tender, ocid)
        if "R018" in on and tender is not None and matches_method(tender, self.r018_methods):
            count = tender.get("numberOfTenderers")
            if isinstance(count, int) and not isinstance(count, bool) and count == 1:
                self._set("OCID", ocid, "R018", 1.0)
        if "R025" in on:
            self._fold_r025(found, views)
        if "R028" in on and priced:
            self._fold_r028(subs, ocid)
        if "R030" in on:
            self._fold_r030(release, views, tender, ocid)
        if "R035" in on:
            self._fold_r035(found, views, ocid)
        if "R036" in on and priced:
            self._fold_r036(release, subs, ocid)
        if "R038" in on:
            self._fold_r038(release, subs, tender, ocid)
        if "R048" in on:
            self._fold_r048(release)

    def _fold_second_lowest(
        self, awards: list[Any] | None, views: list[BidView], ocid: str
    ) -> None:
        if awards is None or len(awards) != 1:
            return
        supplier = _single_supplier(awards[0])
        if supplier is None:
            return
        winner = winner_amount = second = second_amount = None
        for view in views:
            tenderer = view.single
            if view.status != "valid" or view.priced is None or tenderer is None:
                continue
            amount, currency = view.priced
            if currency != self._main_currency(currency):
                continue
            if tenderer == supplier:
                if winner_amount is None or amount < winner_amount:
                    winner, winner_amount = tenderer, amount
            elif second_amount is None or amount < second_amount:
                second, second_amount = tenderer, amount
        if (
            winner is not None
            and winner_amount is not None
            and second is not None
            and second_amount is not None
            and second_amount >= winner_amount
        ):
            difference = second_amount - winner_amount
            if winner_amount == 0:
                ratio = math.inf if difference > 0 else math.nan
            else:
                ratio = difference / winner_amount
            self.second_lowest_ratios[ocid] = ratio
            self.winner_and_second[ocid] = (winner, second)

    def _fold_r003(self, tender: dict[str, Any] | None, ocid: str) -> None:
        if tender is None or not matches_method(tender, self.r003_methods):
            return
        period = _obj(tender, "tenderPeriod")
        start_text, end_text = _str(period, "startDate"), _str(period, "endDate")
        if start_text is None or end_text is None:
            return
        start, end = parse_rfc3339(start_text), parse_rfc3339(end_text)
        if start is None or end is None:
            return
        details = _str(tender, "procurementMethodDetails")
        threshold = self.r003_threshold
        if details is not None and details in self.r003_details:
            threshold = self.r003_details[details]
        if whole_days(start, end) < threshold:
            self._set("OCID", ocid, "R003", 1.0)

    def _fold_r025(self, awards: list[Any] | None, views: list[BidView]) -> None:
        if awards is None or len(awards) != 1:
            return
        supplier = _single_supplier(awards[0])
        if supplier is None:
            return
        valid = {v.single for v in views if v.single is not None and v.status == "valid"}
        for tenderer in valid:
            fraction = self.r025[tenderer]
            fraction[0] += int(tenderer == supplier)
            fraction[1] += 1

    def _fold_r028(self, subs: list[BidView], ocid: str) -> None:
        prices: dict[tuple[float, str], frozenset[str]] = {}
        for view in subs:
            if view.ids is None or view.priced is None or not view.ids:
                continue
            ids = frozenset(view.ids)
            other = prices.get(view.priced)
            if other is not None and ids != other:
                self._set("OCID", ocid, "R028", 1.0)
                for tid in ids | other:
                    self._set("Tenderer", tid, "R028", 1.0)
                    self._map("ocid_tenderer_r028", ocid, tid)
            prices[view.priced] = ids

    def _fold_r030(
        self,
        release: dict[str, Any],
        views: list[BidView],
        tender: dict[str, Any] | None,
        ocid: str,
    ) -> None:
        end_date = _str(_obj(tender, "tenderPeriod"), "endDate")
        awards = _arr(release, "awards")
        if end_date is None or awards is None or not views:
            return
        suppliers = set()
        for award in awards:
            if _str(award, "status") == "active":
                for supplier in _arr(award, "suppliers") or ():
                    sid = _str(supplier, "id")
                    if sid is not None:
                        suppliers.add(sid)
        for view in views:
            # Cardinal compares the two dates as strings.
            if view.status != "valid" or view.date is None or view.ids is None:
                continue
            if not view.date > end_date:
                continue
            for tid in view.ids:
                if tid in suppliers:
                    self._set("OCID", ocid, "R030", 1.0)
                    self._set("Tenderer", tid, "R030", 1.0)
                    self._map("ocid_tenderer_r030", ocid, tid)

    def _fold_r035(self, awards: list[Any] | None, views: list[BidView], ocid: str) -> None:
        if awards is None:
            return
        suppliers: set[str] = set()
        valid: set[str] = set()
        disqualified: set[str] = set()
        for award in awards:
            for supplier in _arr(award, "suppliers") or ():
                sid = _str(supplier, "id")
                if sid is not None:
                    suppliers.add(sid)
        for view in views:
            if view.ids is None:
                continue
            if view.status == "valid":
                valid.update(view.ids)
            elif view.status == "disqualified":
                disqualified.update(view.ids)
        if len(valid) == 1 and valid == suppliers:
            difference = len(disqualified - valid)
            if difference >= self.r035_threshold:
                self._set("OCID", ocid, "R035", float(difference))
                (winner,) = valid
                self._set("Tenderer", winner, "R035", 0.0)
                self._map("ocid_tenderer_r035", ocid, winner)

    def _fold_r036(self, release: dict[str, Any], subs: list[BidView], ocid: str) -> None:
        awards = _arr(release, "awards")
        if awards is None or not any(_str(a, "status") == "active" for a in awards):
            return
        lowest: float | None = None
        lowest_disqualified = False
        has_valid = False
        for view in subs:
            if view.priced is None:
                continue
            amount, currency = view.priced
            if currency != self._main_currency(currency):
                continue
            if lowest is None or amount < lowest:
                lowest = amount
                lowest_disqualified = view.status == "disqualified"
            if view.status == "valid":
                has_valid = True
        if has_valid and lowest_disqualified:
            self._set("OCID", ocid, "R036", 1.0)

    def _fold_r038(
        self,
        release: dict[str, Any],
        bids: list[BidView],
        tender: dict[str, Any] | None,
        ocid: str,
    ) -> None:
        if not bids:
            return
        disqualified = 0
        tenderer_fractions = self.r038_tenderer
        for view in bids:
            increment = int(view.status == "disqualified")
            disqualified += increment
            for tid in view.ids or ():
                fraction = tenderer_fractions[tid]
                fraction[0] += increment
                fraction[1] += 1
        buyer = _str(_obj(release, "buyer"), "id")
        if buyer is not None:
            fraction = self.r038_buyer[buyer]
            fraction[0] += disqualified
            fraction[1] += len(bids)
            if self.map and disqualified:
                self.maps["ocid_buyer_r038"][ocid] = buyer
        entity = _str(_obj(tender, "procuringEntity"), "id")
        if entity is not None:
            fraction = self.r038_pe[entity]
            fraction[0] += disqualified
            fraction[1] += len(bids)
            if self.map and disqualified:
                self.maps["ocid_procuringentity_r038"][ocid] = entity

    def _fold_r048(self, release: dict[str, Any]) -> None:
        observed: set[str] = set()
        for award in _arr(release, "awards") or ():
            items = _arr(award, "items")
            supplier = _single_supplier(award)
            if _str(award, "status") != "active" or items is None or supplier is None:
                continue
            for item in items:
                code = _str(_obj(item, "classification"), "id")
                if code is None:
                    continue
                count, codes = self.r048.setdefault(supplier, ([0], set()))
                if supplier not in observed:
                    observed.add(supplier)
                    count[0] += 1
                codes.add(code[: self.r048_digits])

    # --- finalize -------------------------------------------------------------------------

    def _meta(self, code: str, key: str, value: float) -> None:
        self.meta.setdefault(code, {})[key] = value

    def finalize(self, *, meta: bool = True) -> dict[str, Any]:
        on = self.on
        if "R024" in on:
            self._finalize_r024()
        if "R025" in on:
            self._finalize_r025()
        if "R038" in on:
            self._finalize_r038()
        if "R048" in on:
            self._finalize_r048()
        if "R058" in on:
            self._finalize_r058()
        document: dict[str, Any] = {}
        for group in GROUPS:
            if self.results[group]:
                document[group] = {
                    key: dict(sorted(values.items())) for key, values in self.results[group].items()
                }
        if meta:
            document["Meta"] = {
                code: {key: stats.round4(value) for key, value in values.items()}
                for code, values in sorted(self.meta.items())
            }
        if self.map:
            document["Maps"] = {
                name: {
                    ocid: sorted(value) if isinstance(value, set) else value
                    for ocid, value in self.maps[name].items()
                }
                for name in MAP_KEYS
            }
        return document

    def _finalize_r024(self) -> None:
        threshold = self.on["R024"].get("threshold")
        if threshold is None:
            q1, q3 = stats.quartiles(list(self.second_lowest_ratios.values()))
            self._meta("R024", "q1", q1)
            self._meta("R024", "q3", q3)
            fence = stats.lower_fence(q1, q3)
        else:
            q1, fence = 1.0, threshold
        self._meta("R024", "lower_fence", fence)
        if q1 > 0.0 and fence > 0.0:
            for ocid, ratio in self.second_lowest_ratios.items():
                if ratio <= fence:
                    self._set("OCID", ocid, "R024", ratio)
                    for tid in self.winner_and_second[ocid]:
                        self._set("Tenderer", tid, "R024", 0.0)
                        self._map("ocid_tenderer_r024", ocid, tid)

    def _finalize_r025(self) -> None:
        settings = self.on["R025"]
        counts = [float(f[1]) for f in self.r025.values()]
        upper = stats.percentile(counts, settings.get("percentile", 75))
        threshold = settings.get("threshold")
        if threshold is None:
            q1, q3 = stats.quartiles([f[0] / f[1] for f in self.r025.values()])
            self._meta("R025", "q1", q1)
            self._meta("R025", "q3", q3)
            lower = stats.lower_fence(q1, q3)
        else:
            q1, lower = 1.0, threshold
        self._meta("R025", "upper_fence", upper)
        self._meta("R025", "lower_fence", lower)
        if q1 > 0.0 and lower > 0.0:
            for tid, (wins, bids) in self.r025.items():
                ratio = wins / bids
                if bids >= upper and ratio <= lower:
                    self._set("Tenderer", tid, "R025", ratio)

    def _finalize_r038(self) -> None:
        settings = self.on["R038"]
        threshold = settings.get("threshold")
        minimum_processes = settings.get("minimum_contracting_processes", 2)
        minimum_bids = settings.get("minimum_submitted_bids", 2)
        for group, fractions, minimum in (
            ("Buyer", self.r038_buyer, minimum_processes),
            ("ProcuringEntity", self.r038_pe, minimum_processes),
            ("Tenderer", self.r038_tenderer, minimum_bids),
        ):
            ratios = {key: f[0] / f[1] for key, f in fractions.items() if f[1] >= minimum}
            if not ratios:
                continue
            if threshold is None:
                q1, q3 = stats.quartiles(list(ratios.values()))
                self._meta("R038", f"{group}_q1", q1)
                self._meta("R038", f"{group}_q3", q3)
                fence = stats.upper_fence(q1, q3)
            else:
                fence = threshold
            self._meta("R038", f"{group}_upper_fence", fence)
            if fence > 0.0:
                for key, ratio in ratios.items():
                    if ratio >= fence:
                        self._set(group, key, "R038", ratio)

    def _finalize_r048(self) -> None:
        lengths = {
            supplier: float(len(codes))
            for supplier, (count, codes) in self.r048.items()
            if count[0] >= self.r048_minimum
        }
        threshold = self.on["R048"].get("threshold")
        if threshold is None:
            q1, q3 = stats.quartiles(list(lengths.values()))
            self._meta("R048", "q1", q1)
            self._meta("R048", "q3", q3)
            fence = stats.upper_fence(q1, q3)
        else:
            fence = float(threshold)
        self._meta("R048", "upper_fence", fence)
        for supplier, length in lengths.items():
            if length >= fence:
                self._set("Tenderer", supplier, "R048", length)

    def _finalize_r058(self) -> None:
        threshold = self.on["R058"].get("threshold")
        if threshold is None:
            q1, q3 = stats.quartiles(list(self.second_lowest_ratios.values()))
            self._meta("R058", "q1", q1)
            self._meta("R058", "q3", q3)
            fence = stats.upper_fence(q1, q3)
        else:
            fence = threshold
        self._meta("R058", "upper_fence", fence)
        if fence > 0.0:
            for ocid, ratio in self.second_lowest_ratios.items():
                if ratio >= fence:
                    self._set("OCID", ocid, "R058", ratio)
                    winner = self.winner_and_second[ocid][0]
                    self._set("Tenderer", winner, "R058", 0.0)
                    self._map("ocid_tenderer_r058", ocid, winner)


def read_lines(lines: Iterable[str]) -> Iterator[tuple[int, Any]]:
    """(line number, JSON value) for each line that is JSON; blank lines are skipped and other
    lines are skipped with a warning by the caller (as Cardinal does)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError:
            yield number, None


def run(
    releases: Iterable[Any],
    settings: Settings,
    *,
    map: bool = False,
    meta: bool = True,
) -> dict[str, Any]:
    engine = Engine(settings, map=map)
    for release in releases:
        engine.fold(release)
    return engine.finalize(meta=meta)


def dumps(document: dict[str, Any]) -> str:
    """Compact JSON as serde_json writes it."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
