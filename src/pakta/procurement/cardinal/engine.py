"""Cardinal's ``indicators`` command, in Python.

One pass over the compiled releases (``fold``), then the statistics (``finalize``), in the same
order as Cardinal: the helpers (tenderer map, second-lowest-bid ratio), then R003 … R058. The
conditions of each indicator follow cardinal-rs (src/lib.rs and src/indicators/r*.rs) and its
documentation (docs/cli/indicators/R/*.md); docs/procurement.md lists them."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

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


def _str(parent: Any, key: str) -> str | None:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, str) else None


NOT_SUBMITTED = frozenset({"invited", "withdrawn"})
FINAL_AWARD = frozenset({"active", "cancelled", "unsuccessful"})
NUMBER = (int, float)


def _amount_currency(bid: Any) -> tuple[float, str] | None:
    value = _obj(bid, "value")
    if value is None:
        return None
    amount = value.get("amount")
    currency = _str(value, "currency")
    if not _is_number(amount) or currency is None:
        return None
    return float(amount), currency  # type: ignore[arg-type]


def _frozen(group: str | frozenset[str]) -> frozenset[str]:
    """R028's set of tenderers of a bid, kept as a string when it has one member."""
    return frozenset((group,)) if isinstance(group, str) else group


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
        # The main currency: the setting, else the first one an amount-comparing indicator sees.
        self.currency: str | None = settings.currency or None
        self.results: dict[str, dict[str, dict[str, float]]] = {g: {} for g in GROUPS}
        self.by_ocid = self.results["OCID"]
        # Which indicators are on, read once (``fold`` runs per release).
        self.r003_on, self.r018_on, self.r025_on, self.r028_on = (
            code in on for code in ("R003", "R018", "R025", "R028")
        )
        self.r030_on, self.r035_on, self.r036_on, self.r038_on, self.r048_on = (
            code in on for code in ("R030", "R035", "R036", "R038", "R048")
        )
        self.meta: dict[str, dict[str, float]] = {}
        self.maps: dict[str, dict[str, Any]] = {key: {} for key in MAP_KEYS}
        self.second_lowest_ratios: dict[str, float] = {}
        self.winner_and_second: dict[str, tuple[str, str]] = {}
        # R025: each process's valid tenderers, and its winner among them; counted in finalize.
        self.r025_bids: list[str] = []
        self.r025_wins: list[str] = []
        self.r038_buyer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.r038_pe: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        # R038 per tenderer: one entry per submitted (disqualified) bid, counted in finalize.
        self.r038_submitted: list[str] = []
        self.r038_disqualified: list[str] = []
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

    # --- fold -----------------------------------------------------------------------------

    def fold(self, release: Any) -> None:
        """One release: a single pass over its awards and one over its bids, computing only what
        the indicators that are on need (the conditions of each indicator are spelled out at the
        point where they are applied), then the flags in Cardinal's order (R003, R018, R028,
        R030, R035, R036). About 18-29 µs of CPU a release with every indicator on (7 Dec 2026).

        Written for speed (it is the national run's inner loop, see docs/procurement.md,
        *Benchmark*): the usual bid has one tenderer, so that case is handled without building a
        list or a set; sets and lists are made only for the indicators that need them; results
        are written to the group dicts directly. Every ``isinstance`` check of the plain version
        is kept: malformed releases give Cardinal's results, not exceptions."""
        if not isinstance(release, dict):
            return
        ocid = release.get("ocid")
        if not isinstance(ocid, str):
            return
        tender = release.get("tender")
        method_details: str | None = None
        if isinstance(tender, dict):
            if tender.get("status") == "cancelled":
                return
            text = tender.get("procurementMethodDetails")
            if isinstance(text, str):
                method_details = text
                if text in self.exclude_details:
                    return
        else:
            tender = None
        # Price comparison: procurementMethodDetails in the include list (if set), else not in
        # the exclude list (a process without details is compared unless an include list is set).
        include = self.price_comparison
        if method_details is None:
            priced = not include
        elif include:
            priced = method_details in include
        else:
            priced = method_details not in self.no_price_comparison
        awards = release.get("awards")
        if not isinstance(awards, list):
            awards = None
        bids = release.get("bids")
        details = bids.get("details") if isinstance(bids, dict) else None
        if not isinstance(details, list):
            details = None

        # Awards, once. "Final": awards and bids/details are arrays and every award with a
        # status is active, cancelled or unsuccessful; the active awards count either way (R030
        # and R036 look at the raw awards). ``sole`` is the single supplier of the first active
        # award (R024, R025, R058 need exactly one active award with one supplier).
        final = awards is not None and details is not None
        n_active = 0
        sole: str | None = None
        active_suppliers: set[str] = set()
        r048 = self.r048_on
        observed: set[str] | None = None  # R048: suppliers already counted for this process
        digits = self.r048_digits
        for award in awards or ():
            if not isinstance(award, dict):
                continue
            status = award.get("status")
            if not isinstance(status, str):
                continue
            if status != "active":
                if status not in FINAL_AWARD:
                    final = False
                continue
            n_active += 1
            suppliers = award.get("suppliers")
            single: str | None = None
            if isinstance(suppliers, list):
                for supplier in suppliers:
                    sid = supplier.get("id") if isinstance(supplier, dict) else None
                    if isinstance(sid, str):
                        active_suppliers.add(sid)
                        if len(suppliers) == 1:
                            single = sid
            if n_active == 1:
                sole = single
            if r048 and single is not None:
                # R048: each active single-supplier award's item classifications (prefix).
                items = award.get("items")
                if isinstance(items, list):
                    codes: set[str] | None = None  # the supplier's prefixes, once it has one
                    for item in items:
                        classification = (
                            item.get("classification") if isinstance(item, dict) else None
                        )
                        code = (
                            classification.get("id") if isinstance(classification, dict) else None
                        )
                        if not isinstance(code, str):
                            continue
                        if codes is None:
                            entry = self.r048.get(single)
                            if entry is None:
                                entry = self.r048[single] = ([0], set())
                            if observed is None:
                                observed = {single}
                                entry[0][0] += 1
                            elif single not in observed:
                                observed.add(single)
                                entry[0][0] += 1
                            codes = entry[1]
                        codes.add(code[:digits])
        # R024 / R025 / R058 need a final process with exactly one active single-supplier award.
        if not final or n_active != 1:
            sole = None
        second_lowest = self.second_lowest and priced and sole is not None
        r028 = priced and self.r028_on
        r036 = priced and n_active > 0 and self.r036_on
        if self.currency is None and (second_lowest or r036):
            self._first_currency(details, second_lowest, r036)
        currency_main = self.currency
        period = tender.get("tenderPeriod") if tender is not None else None
        end_date = period.get("endDate") if isinstance(period, dict) else None
        # R030: a valid bid after tenderPeriod/endDate (compared as strings) by an active
        # supplier; needs an end date and an awards array.
        r030 = self.r030_on and isinstance(end_date, str) and awards is not None
        r038 = self.r038_on
        # R035: the only valid tenderer is the supplier of every active award (several active
        # awards to it still count), so there must be exactly one active supplier, ``only``.
        r035 = self.r035_on and final and len(active_suppliers) == 1
        only = next(iter(active_suppliers)) if r035 else None
        valid_only = valid_other = False  # R035: a valid bid by ``only`` / by anyone else
        disqualified_ids: set[str] = set()  # R035
        valid_singles: set[str] | None = set() if self.r025_on and sole is not None else None
        submitted_by = self.r038_submitted.append
        submitted_by_many = self.r038_submitted.extend
        disqualified_by = self.r038_disqualified.append
        disqualified_by_many = self.r038_disqualified.extend

        # Bids, once.
        n_submitted = n_disqualified = 0
        winner = winner_amount = second = second_amount = None  # R024 / R058
        prices: dict[tuple[float, str], str | frozenset[str]] = {}  # R028
        r028_hits: list[frozenset[str]] = []
        r030_hits: list[str] = []
        lowest: float | None = None  # R036
        lowest_disqualified = has_valid = False
        track = self.track_tenderers
        tracked = self.maps["ocid_tenderer"].setdefault(ocid, set()) if track else None
        for bid in details or ():
            if not isinstance(bid, dict):
                continue
            status = bid.get("status")
            tenderers = bid.get("tenderers")
            # ``ids``: the tenderers' ids when ``tenderers`` is an array (else None); ``one``:
            # the id when the array has exactly one tenderer (the usual case, without a list).
            ids: tuple[str] | tuple[()] | list[str] | None = None
            one: str | None = None
            if isinstance(tenderers, list):
                if len(tenderers) == 1:
                    first = tenderers[0]
                    one = first.get("id") if isinstance(first, dict) else None
                    if isinstance(one, str):
                        ids = (one,)
                    else:
                        one, ids = None, ()
                else:
                    ids = [
                        t["id"]
                        for t in tenderers
                        if isinstance(t, dict) and isinstance(t.get("id"), str)
                    ]
            value = bid.get("value")
            amount: float | None = None  # with ``currency``, when both are usable
            currency = None
            if isinstance(value, dict):
                raw = value.get("amount")
                currency = value.get("currency")
                if raw.__class__ is float and currency.__class__ is str:  # the usual case
                    amount = raw
                elif (
                    isinstance(currency, str)
                    and isinstance(raw, NUMBER)
                    and raw is not True
                    and raw is not False
                ):
                    amount = float(raw)
            if status == "valid":
                disqualified = False
                if one is not None:
                    if valid_singles is not None:
                        valid_singles.add(one)
                    if r035:
                        if one == only:
                            valid_only = True
                        else:
                            valid_other = True
                    if second_lowest and amount is not None and currency == currency_main:
                        if one == sole:
                            if winner_amount is None or amount < winner_amount:
                                winner, winner_amount = one, amount
                        elif second_amount is None or amount < second_amount:
                            second, second_amount = one, amount
                    if r030 and one in active_suppliers:
                        date = bid.get("date")
                        if isinstance(date, str) and date > end_date:  # type: ignore[operator]
                            r030_hits.append(one)
                elif ids:
                    if r035:
                        for tid in ids:
                            if tid == only:
                                valid_only = True
                            else:
                                valid_other = True
                    if r030:
                        date = bid.get("date")
                        if isinstance(date, str) and date > end_date:  # type: ignore[operator]
                            r030_hits.extend(tid for tid in ids if tid in active_suppliers)
            elif status == "disqualified":
                disqualified = True
                if r035 and ids:
                    disqualified_ids.update(ids)
            # "Submitted": any status but invited or withdrawn.
            elif not isinstance(status, str) or status in NOT_SUBMITTED:
                continue
            else:
                disqualified = False
            n_submitted += 1
            if disqualified:
                n_disqualified += 1
            if ids:
                if track:
                    tracked.update(ids)  # type: ignore[union-attr]
                if r038:
                    # R038 per tenderer: counted in finalize (``collections.Counter``).
                    if one is not None:
                        submitted_by(one)
                        if disqualified:
                            disqualified_by(one)
                    else:
                        submitted_by_many(ids)
                        if disqualified:
                            disqualified_by_many(ids)
                if r028 and amount is not None:
                    # R028: the same (amount, currency) from a different set of tenderers. A set
                    # of one is kept as its id (a string), which compares the same way.
                    group: str | frozenset[str]
                    if one is not None:
                        group = one
                    else:
                        group = frozenset(ids)
                        if len(group) == 1:
                            (group,) = group
                    price = (amount, currency)
                    other = prices.get(price)  # type: ignore[arg-type]
                    if other is not None and group != other:
                        r028_hits.append(_frozen(group) | _frozen(other))
                    prices[price] = group  # type: ignore[index]
            if r036 and amount is not None and currency == currency_main:
                # R036: the lowest submitted bid (first on ties) is disqualified.
                if lowest is None or amount < lowest:
                    lowest = amount
                    lowest_disqualified = disqualified
                if status == "valid":
                    has_valid = True
        if track and not tracked:
            del self.maps["ocid_tenderer"][ocid]

        if (
            winner is not None
            and winner_amount is not None
            and second is not None
            and second_amount is not None
            and second_amount >= winner_amount  # a winning bid that is not the lowest: none
        ):
            difference = second_amount - winner_amount
            if winner_amount == 0:
                ratio = math.inf if difference > 0 else math.nan
            else:
                ratio = difference / winner_amount
            self.second_lowest_ratios[ocid] = ratio
            self.winner_and_second[ocid] = (winner, second)
        if self.r003_on and tender is not None and self._r003(tender, period, method_details):
            flags = self.by_ocid.get(ocid)
            if flags is None:
                flags = self.by_ocid[ocid] = {}
            flags["R003"] = 1.0
        if self.r018_on and tender is not None:
            methods = self.r018_methods
            method = tender.get("procurementMethod")
            if not methods or (isinstance(method, str) and method in methods):
                number = tender.get("numberOfTenderers")
                if isinstance(number, int) and not isinstance(number, bool) and number == 1:
                    self._set("OCID", ocid, "R018", 1.0)
        if valid_singles:
            # R025: per tenderer, processes with a valid bid and wins.
            self.r025_bids.extend(valid_singles)
            if sole in valid_singles:
                self.r025_wins.append(sole)
        for hit in r028_hits:
            self._set("OCID", ocid, "R028", 1.0)
            for tid in hit:
                self._set("Tenderer", tid, "R028", 1.0)
                self._map("ocid_tenderer_r028", ocid, tid)
        for tid in r030_hits:
            self._set("OCID", ocid, "R030", 1.0)
            self._set("Tenderer", tid, "R030", 1.0)
            self._map("ocid_tenderer_r030", ocid, tid)
        if r035 and valid_only and not valid_other:
            # R035: others disqualified (``only`` is the single valid tenderer).
            difference = len(disqualified_ids) - (only in disqualified_ids)
            if difference >= self.r035_threshold:
                self._set("OCID", ocid, "R035", float(difference))
                self._set("Tenderer", only, "R035", 0.0)  # type: ignore[arg-type]
                self._map("ocid_tenderer_r035", ocid, only)  # type: ignore[arg-type]
        if r036 and has_valid and lowest_disqualified:
            self._set("OCID", ocid, "R036", 1.0)
        if r038 and n_submitted:
            # R038: disqualified / submitted bids per buyer and procuring entity.
            buyer = release.get("buyer")
            bid_buyer = buyer.get("id") if isinstance(buyer, dict) else None
            if isinstance(bid_buyer, str):
                fraction = self.r038_buyer[bid_buyer]
                fraction[0] += n_disqualified
                fraction[1] += n_submitted
                if self.map and n_disqualified:
                    self.maps["ocid_buyer_r038"][ocid] = bid_buyer
            entity = tender.get("procuringEntity") if tender is not None else None
            entity_id = entity.get("id") if isinstance(entity, dict) else None
            if isinstance(entity_id, str):
                fraction = self.r038_pe[entity_id]
                fraction[0] += n_disqualified
                fraction[1] += n_submitted
                if self.map and n_disqualified:
                    self.maps["ocid_procuringentity_r038"][ocid] = entity_id

    def _first_currency(self, details: list[Any] | None, second_lowest: bool, r036: bool) -> None:
        """The main currency when no setting gives it: the first currency an amount-comparing
        indicator sees, in Cardinal's order (the second-lowest-bid ratio's valid single-tenderer
        bids, then R036's submitted bids)."""
        candidates = []
        for bid in details or ():
            if not isinstance(bid, dict):
                continue
            status = bid.get("status")
            price = _amount_currency(bid)
            if price is None:
                continue
            if second_lowest and status == "valid":
                tenderers = bid.get("tenderers")
                if (
                    isinstance(tenderers, list)
                    and len(tenderers) == 1
                    and isinstance(tenderers[0], dict)
                    and isinstance(tenderers[0].get("id"), str)
                ):
                    self.currency = price[1]
                    return
            if r036 and isinstance(status, str) and status not in NOT_SUBMITTED:
                candidates.append(price[1])
        if candidates:
            self.currency = candidates[0]

    def _r003(self, tender: dict[str, Any], period: Any, details: str | None) -> bool:
        """R003: whole days from tenderPeriod start to end under the threshold."""
        methods = self.r003_methods
        if methods:
            method = tender.get("procurementMethod")
            if not isinstance(method, str) or method not in methods:
                return False
        if not isinstance(period, dict):
            return False
        start_text, end_text = period.get("startDate"), period.get("endDate")
        if not isinstance(start_text, str) or not isinstance(end_text, str):
            return False
        start, end = parse_rfc3339(start_text), parse_rfc3339(end_text)
        if start is None or end is None:
            return False
        threshold = self.r003_threshold
        if details is not None and details in self.r003_details:
            threshold = self.r003_details[details]
        delta = end - start
        # ``delta.days`` is chrono's num_days when the period is not negative.
        days = delta.days if delta.days >= 0 else whole_days(start, end)
        return days < threshold

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
        wins = Counter(self.r025_wins)
        r025 = {tid: (wins[tid], bids) for tid, bids in Counter(self.r025_bids).items()}
        counts = [float(f[1]) for f in r025.values()]
        upper = stats.percentile(counts, settings.get("percentile", 75))
        threshold = settings.get("threshold")
        if threshold is None:
            q1, q3 = stats.quartiles([f[0] / f[1] for f in r025.values()])
            self._meta("R025", "q1", q1)
            self._meta("R025", "q3", q3)
            lower = stats.lower_fence(q1, q3)
        else:
            q1, lower = 1.0, threshold
        self._meta("R025", "upper_fence", upper)
        self._meta("R025", "lower_fence", lower)
        if q1 > 0.0 and lower > 0.0:
            for tid, (won, bids) in r025.items():
                ratio = won / bids
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
            ("Tenderer", self._r038_tenderer(), minimum_bids),
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

    def _r038_tenderer(self) -> dict[str, list[int]]:
        """[disqualified, submitted] bids per tenderer, in the order of their first bid."""
        disqualified = Counter(self.r038_disqualified)
        return {
            tenderer: [disqualified[tenderer], submitted]
            for tenderer, submitted in Counter(self.r038_submitted).items()
        }

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
