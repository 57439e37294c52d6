"""The audit chain: any edit, deletion or reordering of events is found and the first broken
event named, by the selector, the management command and `python -m pakta audit verify`."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent, ChainHead
from pakta.audit.selectors import audit_chain_verify
from pakta.audit.services import audit_record, compute_hash
from pakta.org import services as org
from pakta.org.models import Official, Pemda

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def chain(official_a: Official, pemda_b: Pemda, superadmin: User) -> list[AuditEvent]:
    """A chain of a dozen real events (Pemda, units, positions, officials, assignments)."""
    org.official_update(official=official_a, acting_user=superadmin, golongan="Pembina (IV/a)")
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) >= 8
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    return events


def test_a_fresh_chain_verifies(chain: list[AuditEvent]) -> None:
    report = audit_chain_verify()
    assert report.ok
    assert report.checked == len(chain)
    assert report.broken_seq is None


def test_an_empty_chain_verifies(db: None) -> None:
    report = audit_chain_verify()
    assert (report.ok, report.checked) == (True, 0)


def test_events_link_to_the_one_before(chain: list[AuditEvent]) -> None:
    assert chain[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (chain[-1].seq, chain[-1].hash)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", {"nip": "000000000000000000"}),
        ("action", "org.official.updated"),
        ("object_id", "999999"),
        ("actor_label", "someone-else"),
        ("pemda_id", 424242),
        ("created_at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_an_edited_event_is_named(chain: list[AuditEvent], field: str, value: object) -> None:
    target = chain[4]
    AuditEvent.objects.filter(pk=target.pk).update(**{field: value})

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == target.seq
    assert report.checked == target.seq - 1
    assert report.reason == f"Event #{target.seq} was modified after it was written."


def test_an_edited_event_with_a_recomputed_hash_breaks_the_next_link(
    chain: list[AuditEvent],
) -> None:
    target = AuditEvent.objects.get(seq=3)
    target.summary = {"forged": True}
    target.hash = compute_hash(target)
    target.save()

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == 4
    assert "does not follow the event before it" in report.reason


def test_a_deleted_middle_event_is_named(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq=5).delete()

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == 5
    assert report.reason == "Event #5 is missing (deleted or renumbered)."


@pytest.mark.parametrize("count", [1, 3])
def test_deleted_last_events_are_named(chain: list[AuditEvent], count: int) -> None:
    last = chain[-1].seq
    AuditEvent.objects.filter(seq__gt=last - count).delete()

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == last - count + 1  # the first event that is gone
    assert f"#{last}" in report.reason
    assert "removed from the end" in report.reason


def test_all_events_deleted_is_found(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.all().delete()
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == 1


def test_swapped_events_are_named(chain: list[AuditEvent]) -> None:
    first, second = chain[2], chain[6]
    with transaction.atomic():
        AuditEvent.objects.filter(pk=first.pk).update(seq=10**9)
        AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
        AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == first.seq
    assert "does not follow the event before it" in report.reason


def test_an_event_appended_behind_the_head_is_named(chain: list[AuditEvent]) -> None:
    last = chain[-1]
    forged = AuditEvent(
        seq=last.seq + 1,
        created_at=last.created_at,
        action="org.official.created",
        object_type="org.official",
        object_id="1",
        summary={},
        prev_hash=last.hash,
    )
    forged.hash = compute_hash(forged)
    forged.save()

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == forged.seq
    assert (
        report.reason == f"Event #{forged.seq} was added without passing through the chain's head."
    )


def test_the_last_event_edited_with_a_recomputed_hash_is_named(chain: list[AuditEvent]) -> None:
    last = AuditEvent.objects.get(seq=chain[-1].seq)
    last.summary = {"forged": True}
    last.hash = compute_hash(last)
    last.save()

    report = audit_chain_verify()

    assert not report.ok
    assert report.broken_seq == last.seq
    assert report.reason == f"Event #{last.seq} was modified after it was written."


# --- The command ------------------------------------------------------------------------------


def test_command_reports_ok(chain: list[AuditEvent], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit_verify")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"audit chain OK: {len(chain)} events verified."
    assert out[1] == "audit log: no signed checkpoint yet; run `manage.py audit_checkpoint`."


def test_command_fails_naming_the_broken_event(chain: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq=6).update(summary={"changed": ["name"]})
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert str(error.value) == (
        "audit chain BROKEN at event #6: Event #6 was modified after it was written."
    )


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{host}:{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_python_m_pakta_audit_verify(chain: list[AuditEvent]) -> None:
    """The command line on the same database: exit 0 when intact, 1 naming the event when not."""
    env = {**os.environ, "DATABASE_URL": _database_url()}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pakta", "audit", "verify"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    ok = run()
    assert ok.returncode == 0, ok.stderr
    assert f"audit chain OK: {len(chain)} events verified." in ok.stdout

    AuditEvent.objects.filter(seq=2).delete()
    broken = run()
    assert broken.returncode == 1
    assert "audit chain BROKEN at event #2" in broken.stderr


# --- Recording --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_raises(pemda_a: Pemda) -> None:
    count = AuditEvent.objects.count()
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="org.pemda.updated", obj=pemda_a)
    assert AuditEvent.objects.count() == count
    assert audit_chain_verify().ok


def test_an_unregistered_action_code_raises(pemda_a: Pemda) -> None:
    count = AuditEvent.objects.count()
    with (
        pytest.raises(ValueError, match=r"Unregistered audit action 'org\.pemda\.deleted'"),
        transaction.atomic(),
    ):
        audit_record(actor=None, action="org.pemda.deleted", obj=pemda_a)
    assert AuditEvent.objects.count() == count
    assert audit_chain_verify().ok


def test_recorded_events_carry_actor_pemda_object_and_time(
    pemda_a: Pemda, superadmin: User
) -> None:
    with transaction.atomic():
        event = audit_record(
            actor=superadmin,
            action="org.pemda.updated",
            obj=pemda_a,
            summary={"changed": ["seat"], "when": dt.date(2025, 1, 2)},
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.actor_label) == (superadmin.pk, "root")
    assert (stored.pemda_id, stored.object_type, stored.object_id) == (
        pemda_a.pk,
        "org.pemda",
        str(pemda_a.pk),
    )
    assert stored.summary == {"changed": ["seat"], "when": "2025-01-02"}
    assert stored.created_at is not None
    assert compute_hash(stored) == stored.hash
