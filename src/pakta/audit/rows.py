"""Domain rows bound to their history: the hash of a row's state, stored in the audit event that
produced it, and recomputed by ``audit verify --rows``.

Each registered model lists the fields whose value only a service changes, and every such change
records an audit event about the row (``obj=`` the row). A row whose current hash differs from the
hash in its latest event was changed outside the app.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring
from typing import Any

from django.apps import apps
from django.db import models

# model label (lower case) -> the fields hashed. Only fields every change of which goes through a
# service that records an event about the row.
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "pacts.pact": ("official", "position", "unit", "year", "status", "signed_at", "document"),
    "signing.signature": (
        "document",
        "identity",
        "official",
        "role",
        "field_name",
        "signer_name",
        "signed_at",
        "sha256_after",
    ),
    "signing.signeddocument": ("pemda", "kind", "title", "original_sha256", "status"),
    "performance.performanceagreement": ("official", "year", "version", "status"),
    "performance.realization": ("indicator", "quarter", "value", "status"),
    "reports.report": ("pemda", "stage", "assignee", "outcome"),
    "accounts.membership": ("user", "pemda", "role", "unit"),
    "org.official": ("pemda", "nip", "name", "golongan"),
}


def _normaliser(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """For one field: a function giving the canonical JSON value of a stored (not None) value,
    the same from an instance or from the database."""
    if isinstance(field, models.DateTimeField):
        return lambda value: (
            field.to_python(value).astimezone(dt.UTC).isoformat(timespec="microseconds")
        )
    if isinstance(field, models.DateField):
        return lambda value: field.to_python(value).isoformat()
    if isinstance(field, models.DecimalField):
        step = decimal.Decimal(1).scaleb(-(field.decimal_places or 0))
        return lambda value: format(decimal.Decimal(field.to_python(value)).quantize(step), "f")
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, (models.IntegerField, models.AutoField, models.ForeignKey)):
        return int
    if isinstance(field, models.JSONField):
        return lambda value: json.loads(json.dumps(value, default=str))
    return str


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def plain_json(mapping: dict[str, Any]) -> str | None:
    """The canonical JSON of a flat mapping (keys sorted, compact, not ASCII-escaped: the bytes
    ``_ENCODER`` writes) when its keys are strings and its values strings, integers, booleans or
    None; else None (use the encoder). Built from the C string quoter the encoder itself uses,
    without creating an encoder per call: audit hashing of bulk imports calls this per row."""
    parts = []
    for key in mapping:
        if type(key) is not str:
            return None
    for key in sorted(mapping):
        value = mapping[key]
        kind = type(value)
        if kind is str:
            text = encode_basestring(value)
        elif kind is int:
            text = int.__repr__(value)
        elif value is None:
            text = "null"
        elif kind is bool:
            text = "true" if value else "false"
        else:
            return None
        parts.append(f"{encode_basestring(key)}:{text}")
    return "{" + ",".join(parts) + "}"


def _digest(label: str, state: dict[str, Any]) -> str:
    text = plain_json(state)
    if text is None:
        canonical = _ENCODER.encode([label, state])
    else:
        canonical = f"[{encode_basestring(label)},{text}]"
    return hashlib.sha256(canonical.encode()).hexdigest()


@cache
def _fields(label: str) -> list[tuple[str, Callable[[Any], Any]]]:
    """The hashed fields of a registered model: (attname, normaliser)."""
    model = apps.get_model(label)
    fields = [model._meta.get_field(name) for name in ROW_FIELDS[label]]
    return [(field.attname, _normaliser(field)) for field in fields]


def row_state_hash(obj: models.Model) -> str:
    """The hash of a registered row as the instance holds it now; "" for unregistered models."""
    label = obj._meta.label_lower
    if label not in ROW_FIELDS:
        return ""
    return row_values_hash(label, {name: getattr(obj, name) for name, _ in _fields(label)})


@cache
def _canonical_plan(label: str) -> tuple[str, list[tuple[str, Callable[[Any], Any], str]]]:
    """The constant pieces of a registered model's canonical form: the opening with the label,
    and each field (sorted by name, as the encoder sorts keys) with its quoted key."""
    fields = sorted(_fields(label), key=lambda item: item[0])
    return f"[{encode_basestring(label)},{{", [
        (name, normal, f"{encode_basestring(name)}:") for name, normal in fields
    ]


def row_values_hash(label: str, values: dict[str, Any]) -> str:
    """The same hash for a row written as plain values (keyed by attname, e.g. ``pemda_id``)."""
    opening, fields = _canonical_plan(label)
    parts = []
    for name, normal, key in fields:
        value = values[name]
        if value is None:
            parts.append(f"{key}null")
            continue
        value = normal(value)
        kind = type(value)
        if kind is str:
            parts.append(key + encode_basestring(value))
        elif kind is int:
            parts.append(key + int.__repr__(value))
        elif kind is bool:
            parts.append(key + ("true" if value else "false"))
        else:  # dates, decimals, JSON: the encoder writes them
            state = {}
            for field_name, field_normal, _key in fields:
                raw = values[field_name]
                state[field_name] = None if raw is None else field_normal(raw)
            return _digest(label, state)
    canonical = opening + ",".join(parts) + "}]"
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class RowState:
    label: str
    pk: str
    hash: str


def current_row_states(label: str, chunk_size: int = 5000) -> Iterator[RowState]:
    """Every row of a registered model with the hash of its state in the database now."""
    model = apps.get_model(label)
    names = [name for name, _ in _fields(label)]
    rows = model._default_manager.order_by("pk").values_list("pk", *names)
    for pk, *values in rows.iterator(chunk_size=chunk_size):
        yield RowState(
            label, str(pk), row_values_hash(label, dict(zip(names, values, strict=True)))
        )
