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
from collections.abc import Iterator
from dataclasses import dataclass
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


def _normal(field: models.Field[Any, Any], value: Any) -> Any:
    """One canonical JSON value per stored value, the same from an instance or from the database."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        value = field.to_python(value)
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(field, models.DateField):
        return field.to_python(value).isoformat()
    if isinstance(field, models.DecimalField):
        number = field.to_python(value)
        assert isinstance(number, decimal.Decimal)
        return format(number.quantize(decimal.Decimal(1).scaleb(-(field.decimal_places or 0))), "f")
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, (models.IntegerField, models.AutoField, models.ForeignKey)):
        return int(value)
    if isinstance(field, models.JSONField):
        return json.loads(json.dumps(value, default=str))
    return str(value)


def _digest(label: str, state: dict[str, Any]) -> str:
    text = json.dumps([label, state], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _fields(label: str) -> list[models.Field[Any, Any]]:
    model = apps.get_model(label)
    return [model._meta.get_field(name) for name in ROW_FIELDS[label]]


def row_state_hash(obj: models.Model) -> str:
    """The hash of a registered row as the instance holds it now; "" for unregistered models."""
    label = obj._meta.label_lower
    if label not in ROW_FIELDS:
        return ""
    state = {field.attname: _normal(field, getattr(obj, field.attname)) for field in _fields(label)}
    return _digest(label, state)


def row_values_hash(label: str, values: dict[str, Any]) -> str:
    """The same hash for a row written as plain values (keyed by attname, e.g. ``pemda_id``)."""
    state = {field.attname: _normal(field, values[field.attname]) for field in _fields(label)}
    return _digest(label, state)


@dataclass(frozen=True)
class RowState:
    label: str
    pk: str
    hash: str


def current_row_states(label: str, chunk_size: int = 5000) -> Iterator[RowState]:
    """Every row of a registered model with the hash of its state in the database now."""
    model = apps.get_model(label)
    fields = _fields(label)
    names = [field.attname for field in fields]
    rows = model._default_manager.order_by("pk").values_list("pk", *names)
    for pk, *values in rows.iterator(chunk_size=chunk_size):
        state = {
            field.attname: _normal(field, value)
            for field, value in zip(fields, values, strict=True)
        }
        yield RowState(label, str(pk), _digest(label, state))
