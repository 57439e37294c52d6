"""`audit verify` against an insider with write access to the database, on a copy (the test
database): every attack recomputes every hash, the chain, the head and the stored tree, so the
chain alone stays green; the checkpoints kept outside the database catch each one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from pakta.accounts.models import User
from pakta.audit.checkpoints import checkpoint_create, log_signer, witness_path
from pakta.audit.models import AuditEvent, Checkpoint
from pakta.audit.services import PendingEvent, audit_record, audit_record_many
from pakta.audit.verify import log_verify, rows_verify
from pakta.org.models import Official, Pemda
from tests.audit.attacks import rewrite_history

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def witnessed(official_a: Official, superadmin: User, pemda_a: Pemda) -> int:
    """A log with a checkpoint in the database and in the witness file, then more events."""
    with transaction.atomic():
        audit_record(
            actor=superadmin,
            action="reports.identity.viewed",
            obj=pemda_a,
            summary={"report_id": 17},
        )
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    with transaction.atomic():
        audit_record_many(
            actor=superadmin,
            events=[PendingEvent(action="org.pemda.updated", obj=pemda_a) for _ in range(4)],
        )
    return checkpoint.size


def _problems() -> list[str]:
    report = log_verify()
    assert report.chain.ok, "the insider recomputed the chain: it must look intact"
    return report.problems


def test_an_intact_log_verifies_against_every_checkpoint(witnessed: int) -> None:
    checkpoint_create()
    report = log_verify()
    assert report.ok, report.problems
    assert report.checkpoints == 4  # two in the database, the same two in the witness file


def test_the_insider_attack_erasing_an_identity_viewed_event_is_detected(witnessed: int) -> None:
    """The issue's example: erase the event recording who opened a reporter's identity,
    recompute every hash and the head, and delete the checkpoints kept in the database."""
    target = AuditEvent.objects.get(action="reports.identity.viewed")
    rewrite_history(lambda events: events.__delitem__(target.seq - 1))
    Checkpoint.objects.all().delete()

    problems = _problems()

    assert len(problems) == 1
    assert str(witness_path()) in problems[0]
    assert f"does not match the first {witnessed} entries" in problems[0]


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        ("edit", "does not match the first"),
        ("delete", "does not match the first"),
        ("reorder", "does not match the first"),
        ("insert", "does not match the first"),
        ("truncate", "entries were removed from the end"),
    ],
)
def test_each_rewrite_of_history_is_detected(witnessed: int, attack: str, expected: str) -> None:
    def change(events: list[AuditEvent]) -> None:
        if attack == "edit":
            events[2].summary = {"golongan": ["Penata (III/c)", "Pembina (IV/a)"]}
        elif attack == "delete":
            del events[3]
        elif attack == "reorder":
            events[1], events[4] = events[4], events[1]
        elif attack == "insert":
            forged = AuditEvent(
                created_at=events[0].created_at,
                action="org.official.created",
                object_type="org.official",
                object_id="424242",
                summary={},
            )
            events.insert(2, forged)
        else:  # truncate: everything from inside the checkpoint on is cut off
            del events[witnessed - 1 :]

    rewrite_history(change)

    problems = _problems()
    assert problems
    assert all(expected in problem for problem in problems), problems


def test_changes_after_the_last_checkpoint_need_the_next_one(witnessed: int) -> None:
    """Rewriting only events no checkpoint covers yet goes unseen until the next checkpoint, which
    is why one is signed every few minutes: the window is that short."""
    rewrite_history(lambda events: events[-1].summary.update({"n": 1}))
    assert _problems() == []


def test_a_checkpoint_file_a_backup_manifest_and_bad_input(
    witnessed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pakta.ops.backup import backup_create

    saved = tmp_path / "checkpoint.txt"
    saved.write_text(Checkpoint.objects.get(size=witnessed).note)
    archive = backup_create(output=tmp_path / "backup.tar.gz").path
    call_command("audit_verify", "--checkpoint", str(saved), "--backup", str(archive))
    # two in the database and the witness file (one signed by the backup), the file, the manifest
    assert "consistent with 6 signed checkpoints" in capsys.readouterr().out

    rewrite_history(lambda events: events[0].summary.update({"n": 2}))
    Checkpoint.objects.all().delete()
    witness_path().unlink()  # the insider erased the witness file too: the copies remain
    with pytest.raises(CommandError, match=r"checkpoint\.txt .* does not match the first"):
        call_command("audit_verify", "--checkpoint", str(saved))
    with pytest.raises(CommandError, match=r"manifest of backup\.tar\.gz .* does not match"):
        call_command("audit_verify", "--backup", str(archive))

    garbage = tmp_path / "garbage.txt"
    garbage.write_text("127.0.0.1:8000/transparansi\nten\nAAAA\n\n\u2014 x y\n")
    with pytest.raises(CommandError, match=r"garbage\.txt is not a valid checkpoint"):
        call_command("audit_verify", "--checkpoint", str(garbage))
    with pytest.raises(CommandError, match="is not a Pakta backup"):
        call_command("audit_verify", "--backup", str(garbage))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("audit_verify", "--checkpoint", str(tmp_path / "missing.txt"))
    other = log_signer().__class__.from_seed(log_signer().name, b"\x05" * 32).verifier
    with pytest.raises(CommandError, match="not signed by the log key"):
        call_command("audit_verify", "--checkpoint", str(saved), "--key", str(other))
    with pytest.raises(CommandError, match="verifier key"):
        call_command("audit_verify", "--key", "nonsense")


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{host}:{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_python_m_pakta_audit_verify_exits_1_on_the_insider_attack(
    witnessed: int, settings: Any
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PAKTA_AUDIT_WITNESS_DIR": str(settings.PAKTA_AUDIT_WITNESS_DIR),
    }

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
    assert "audit log OK" in ok.stdout
    rewrite_history(lambda events: events[1].summary.update({"n": 3}))
    broken = run()
    assert broken.returncode == 1
    assert "audit chain OK" in broken.stdout  # the chain alone is fooled
    assert "audit log BROKEN: " in broken.stderr
    assert f" {witnessed} " in broken.stderr  # the checkpoint's size, whatever the language
    assert "Traceback" not in broken.stderr


# --- Rows bound to their history ---------------------------------------------------------------


def test_rows_changed_with_plain_sql_are_named(
    official_a: Official, superadmin: User, pemda_a: Pemda
) -> None:
    from pakta.org import services as org

    org.official_update(official=official_a, acting_user=superadmin, name="Hadi Santoso")
    checked, problems = rows_verify()
    assert checked > 0
    assert problems == []

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE org_official SET name = %s WHERE id = %s", ["Orang Lain", official_a.pk]
        )
    checked, problems = rows_verify()
    assert [(p.label, p.pk) for p in problems] == [("org.official", str(official_a.pk))]
    assert "changed outside the app after audit event #" in problems[0].message
    with pytest.raises(CommandError, match="audited rows BROKEN"):
        call_command("audit_verify", "--rows")
