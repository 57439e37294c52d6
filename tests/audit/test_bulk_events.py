"""Large batches of audit events take the bulk path and still verify, byte for byte."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.audit.selectors import audit_chain_verify
from pakta.audit.services import BULK_THRESHOLD, PendingEvent, audit_record, audit_record_many
from pakta.org.models import Pemda


@pytest.mark.django_db
def test_bulk_batch_writes_every_event_and_the_chain_verifies(
    superadmin: User, pemda_a: Pemda
) -> None:
    summaries = [
        {"nip": "197001012000031001", "position_id": 7, "import_id": 1},
        {"name": "Ni Luh Ayu Ś.", "note": None},  # not ASCII: stored and hashed as it is
        {"end_date": dt.date(2024, 1, 31), "changed": ["name", "email"]},  # needs a round trip
        {"quote": 'a "b" \\ c', "tab": "x\ty"},
    ]
    events = [
        PendingEvent(
            action="org.official.created",
            object_type="org.official",
            object_id=str(1000 + i),
            pemda_id=pemda_a.pk,
            summary=summaries[i % len(summaries)],
        )
        for i in range(BULK_THRESHOLD + 10)
    ]
    events.append(PendingEvent(action="org.pemda.updated", obj=pemda_a, summary={"n": 1}))
    before = AuditEvent.objects.count()

    with transaction.atomic():
        audit_record_many(actor=superadmin, events=events)
    with transaction.atomic():
        audit_record(actor=superadmin, action="org.pemda.updated", obj=pemda_a)

    assert AuditEvent.objects.count() == before + len(events) + 1
    last_bulk = AuditEvent.objects.get(seq=before + len(events))
    assert (last_bulk.object_type, last_bulk.object_id) == ("org.pemda", str(pemda_a.pk))
    assert last_bulk.pemda_id == pemda_a.pk
    assert last_bulk.actor_label == superadmin.username
    dated = AuditEvent.objects.get(seq=before + 3)
    assert dated.summary == {"end_date": "2024-01-31", "changed": ["name", "email"]}
    report = audit_chain_verify()
    assert report.ok, report.reason
    assert report.checked == before + len(events) + 1


@pytest.mark.django_db
def test_editing_a_bulk_written_event_is_detected(superadmin: User, pemda_a: Pemda) -> None:
    events = [
        PendingEvent(
            action="org.official.created",
            object_type="org.official",
            object_id=str(i),
            pemda_id=pemda_a.pk,
            summary={"nip": f"19700101200003100{i % 9 + 1}"},
        )
        for i in range(BULK_THRESHOLD + 1)
    ]
    with transaction.atomic():
        audit_record_many(actor=superadmin, events=events)
    target = AuditEvent.objects.order_by("seq")[10]
    AuditEvent.objects.filter(pk=target.pk).update(summary={"nip": "199001012015031001"})

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == target.seq


def test_plain_json_writes_the_bytes_of_the_canonical_encoder() -> None:
    import json

    from pakta.audit.rows import plain_json

    canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    flat = [
        {},
        {"nip": "197001012000031001", "position_id": 7, "import_id": 1},
        {"name": 'Ni Luh Ayu Ś. "Gek" \\ \t\n\x00\u2028 €', "note": None, "b": True, "c": False},
        {"zeta": -12, "Alpha": "", "alpha": "x", "é": "ü", "1": 10**30},
    ]
    for summary in flat:
        assert plain_json(summary) == canonical.encode(summary)
    for nested in ({"when": dt.date(2024, 1, 31)}, {"ids": [1, 2]}, {"x": 1.5}, {1: "a"}):
        assert plain_json(nested) is None  # left to the encoder (with its round trip)


def test_row_hash_of_plain_values_is_the_encoders() -> None:
    import hashlib
    import json

    from pakta.audit.rows import row_values_hash

    canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for name in ("Budi Santoso", 'I Gusti "Ngurah" Ś. \\ \t'):
        values = {"pemda_id": 3, "nip": "198503142010011002", "name": name, "golongan": "III/c"}
        expected = canonical.encode(["org.official", values]).encode()
        assert row_values_hash("org.official", values) == hashlib.sha256(expected).hexdigest()
    pact = {
        "official_id": 1,
        "position_id": None,
        "unit_id": 2,
        "year": 2026,
        "status": "signed",
        "signed_at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "document_id": 9,
    }
    state = {**pact, "signed_at": "2026-01-02T03:04:05.000000+00:00"}
    expected = canonical.encode(["pacts.pact", state]).encode()
    assert row_values_hash("pacts.pact", pact) == hashlib.sha256(expected).hexdigest()
