"""Cardinal's settings file (``ocdscardinal init``): INI with top-level keys, sections for the
``prepare`` command (accepted and checked, not used by the indicators), ``[exclusions]`` and one
section per indicator. A section present turns its indicator on. An unknown section or key, a
value of the wrong type or a negative threshold is an error that names the line and the path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INDICATORS = (
    "R003",
    "R018",
    "R024",
    "R025",
    "R028",
    "R030",
    "R035",
    "R036",
    "R038",
    "R048",
    "R058",
)

# Types: "str", "bool", "int" (natural number), "float" (non-negative), "pipe" (a|b|c).
TOP_LEVEL = {
    "currency": "str",
    "no_price_comparison_procurement_methods": "pipe",
    "price_comparison_procurement_methods": "pipe",
}
SECTIONS: dict[str, dict[str, str]] = {
    "output": {"info_currency_mismatches": "bool"},
    "defaults": {
        "currency": "str",
        "item_classification_scheme": "str",
        "bid_status": "str",
        "award_status": "str",
        "party_roles": "bool",
    },
    "redactions": {"amount": "str", "organization_id": "str"},
    "corrections": {"award_status_by_contract_status": "bool"},
    "modifications": {
        "move_auctions": "bool",
        "prefix_buyer_or_procuring_entity_id": "str",
        "prefix_tenderer_or_supplier_id": "str",
        "split_procurement_method_details": "str",
    },
    "exclusions": {"procurement_method_details": "pipe"},
    "R003": {"threshold": "int", "procurement_methods": "pipe"},
    "R018": {"procurement_methods": "pipe"},
    "R024": {"threshold": "float"},
    "R025": {"percentile": "int", "threshold": "float"},
    "R028": {},
    "R030": {},
    "R035": {"threshold": "int"},
    "R036": {},
    "R038": {
        "threshold": "float",
        "minimum_submitted_bids": "int",
        "minimum_contracting_processes": "int",
    },
    "R048": {"digits": "int", "threshold": "int", "minimum_contracting_processes": "int"},
    "R058": {"threshold": "float"},
}
# Sections whose keys are free (a mapping): the key's value type.
MAPPING_SECTIONS = {
    "R003.procurement_method_details": "int",
    "codelists.bid_status": "str",
    "codelists.award_status": "str",
}


class SettingsError(ValueError):
    """A settings file Cardinal would refuse. ``line`` and ``path`` say where."""

    def __init__(self, message: str, *, line: int, path: str) -> None:
        super().__init__(f"line {line}: {path}: {message}")
        self.message = message
        self.line = line
        self.path = path


@dataclass
class Settings:
    currency: str | None = None
    no_price_comparison_procurement_methods: set[str] | None = None
    price_comparison_procurement_methods: set[str] | None = None
    exclusions: dict[str, Any] = field(default_factory=dict)
    # The indicators turned on, with their keys (an empty dict: on with defaults).
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    r003_procurement_method_details: dict[str, int] = field(default_factory=dict)
    other: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def all_defaults(cls) -> Settings:
        """Every indicator on with Cardinal's defaults (Pakta's own default)."""
        return cls(indicators={code: {} for code in INDICATORS})


def _pipe(value: str) -> set[str]:
    # Rust's split_terminator('|'): a trailing separator yields no empty last item.
    parts = value.split("|")
    if parts and parts[-1] == "":
        parts.pop()
    return set(parts)


def _convert(kind: str, raw: str, *, line: int, path: str) -> Any:
    if kind == "str":
        return raw
    if kind == "pipe":
        return _pipe(raw)
    if kind == "bool":
        if raw.lower() in {"true", "false"}:
            return raw.lower() == "true"
        raise SettingsError(
            f"invalid type: expected a boolean, found {raw!r}", line=line, path=path
        )
    if kind == "int":
        try:
            number = int(raw)
        except ValueError:
            raise SettingsError(
                f"invalid type: expected a whole number, found {raw!r}", line=line, path=path
            ) from None
        if number < 0:
            raise SettingsError(f"invalid value: {raw} is negative", line=line, path=path)
        return number
    if kind == "float":
        try:
            number_f = float(raw)
        except ValueError:
            raise SettingsError(
                f"invalid type: expected a number, found {raw!r}", line=line, path=path
            ) from None
        if number_f != number_f or number_f < 0:
            raise SettingsError(f"invalid value: {raw} is negative", line=line, path=path)
        return number_f
    raise AssertionError(kind)


def _strip_comment(text: str) -> str:
    for marker in (" ;", " #", "\t;", "\t#"):
        index = text.find(marker)
        if index >= 0:
            text = text[:index]
    return text.strip()


def _canonical_section(name: str) -> str | None:
    for known in [*SECTIONS, *MAPPING_SECTIONS]:
        if known.lower() == name.lower():
            return known
    return None


def parse_settings(text: str) -> Settings:
    settings = Settings()
    section: str | None = None
    seen_sections: set[str] = set()
    for number, raw_line in enumerate(text.splitlines(), start=1):
        stripped = raw_line.strip()
        if not stripped or stripped[0] in ";#":
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise SettingsError("a section header ends with ]", line=number, path=stripped)
            name = stripped[1:-1].strip()
            canonical = _canonical_section(name)
            if canonical is None:
                raise SettingsError(f"unknown section [{name}]", line=number, path=name)
            if canonical in seen_sections:
                raise SettingsError(f"duplicate section [{name}]", line=number, path=name)
            seen_sections.add(canonical)
            section = canonical
            if section in SECTIONS and section.startswith("R"):
                settings.indicators.setdefault(section, {})
            elif section == "R003.procurement_method_details":
                settings.indicators.setdefault("R003", {})
            continue
        if "=" not in stripped:
            raise SettingsError("expected key = value", line=number, path=stripped)
        key, _, value = stripped.partition("=")
        key = key.strip().lower()
        value = _strip_comment(value)
        if section is None:
            if key not in TOP_LEVEL:
                raise SettingsError(f"unknown field `{key}`", line=number, path=key)
            converted = _convert(TOP_LEVEL[key], value, line=number, path=key)
            setattr(settings, key, converted)
            continue
        path = f"{section}.{key}"
        if section in MAPPING_SECTIONS:
            converted = _convert(MAPPING_SECTIONS[section], value, line=number, path=path)
            if section == "R003.procurement_method_details":
                # The raw key keeps its case: it is compared with procurementMethodDetails.
                original = stripped.partition("=")[0].strip()
                settings.r003_procurement_method_details[original] = converted
            else:
                settings.other.setdefault(section, {})[key] = converted
            continue
        keys = SECTIONS[section]
        if key not in keys:
            raise SettingsError(f"unknown field `{key}`", line=number, path=path)
        converted = _convert(keys[key], value, line=number, path=path)
        if section in settings.indicators:
            settings.indicators[section][key] = converted
        elif section == "exclusions":
            settings.exclusions[key] = converted
        else:
            settings.other.setdefault(section, {})[key] = converted
    return settings
