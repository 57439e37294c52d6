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
