"""`python -m pakta audit witness <url>`: an outside machine stores checkpoints and checks that
each new one extends the last; a rewritten, truncated or forked log, a wrong key and bad answers
are each refused with a sentence and exit code 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from pakta.audit import note
from pakta.audit.checkpoints import checkpoint_create, log_verifier
from pakta.audit.models import Checkpoint
from pakta.audit.services import PendingEvent, audit_record_many
from pakta.audit.witness import main
from pakta.org.models import Pemda
from tests.audit.attacks import rewrite_history

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _witness_dir(settings: Any, tmp_path: Path) -> None:
    settings.PAKTA_AUDIT_WITNESS_DIR = tmp_path / "server-witness"


def _append(pemda: Pemda, count: int) -> None:
    with transaction.atomic():
        audit_record_many(
            actor=None,
            events=[PendingEvent(action="org.pemda.updated", obj=pemda) for _ in range(count)],
        )


def _fetcher(client: Client, replace: dict[str, bytes] | None = None):  # type: ignore[no-untyped-def]
    def fetch(url: str) -> bytes:
        path = url.removeprefix("https://pakta.example.go.id")
        for key, value in (replace or {}).items():
            if path.startswith(key):
                return value
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        return bytes(response.content)

    return fetch


URL = "https://pakta.example.go.id/"


def test_the_witness_stores_checkpoints_and_checks_consistency(
    pemda_a: Pemda, client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "auditor"
    _append(pemda_a, 3)
    checkpoint_create()
    assert main([URL, "--store", str(store)], _fetcher(client)) == 0
    assert "First checkpoint stored: " in capsys.readouterr().out
    assert (store / "key").read_text().strip() == str(log_verifier())

    _append(pemda_a, 5)
    new = checkpoint_create()
    assert new is not None
    assert main([URL, "--store", str(store)], _fetcher(client)) == 0
    assert f"-> {new.size} entries" in capsys.readouterr().out
    assert len((store / "checkpoints.jsonl").read_text().splitlines()) == 2

    # The insider rewrites an old event and re-signs nothing (they have no key): the checkpoint
    # served is the old one for a larger tree, or a new one the log refuses to sign. Even if
    # they got the key and signed, the consistency proof fails:
    rewrite_history(lambda events: events[0].summary.update({"forged": True}))
    Checkpoint.objects.all().delete()
    _append(pemda_a, 1)
    from pakta.audit import checkpoints

    (tmp_path / "server-witness" / "checkpoints.jsonl").unlink()  # they erased that file too
    forged = checkpoints.checkpoint_create()
    assert forged is not None  # signed with the stolen key
    assert main([URL, "--store", str(store)], _fetcher(client)) == 1
    assert "history was rewritten" in capsys.readouterr().err


def test_truncation_fork_wrong_key_and_garbage_are_refused(
    pemda_a: Pemda, client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "auditor"
    _append(pemda_a, 6)
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    assert main([URL, "--store", str(store), "--key", str(log_verifier())], _fetcher(client)) == 0
    capsys.readouterr()
    signer = checkpoints_signer()

    def signed(size: int, root: bytes) -> bytes:
        text = note.checkpoint_text(signer.name, size, root, checkpoint.created_at)
        return signer.sign(text).encode()

    cases = [
        ({"/transparansi/checkpoint": signed(3, b"\x01" * 32)}, "entries were removed"),
        ({"/transparansi/checkpoint": signed(checkpoint.size, b"\x02" * 32)}, "forked"),
        ({"/transparansi/checkpoint": b"not a checkpoint\n"}, "checkpoint was refused"),
        ({"/transparansi/checkpoint": b"\xff\xfe"}, "not UTF-8"),
        (
            {
                "/transparansi/checkpoint": signed(checkpoint.size + 1, b"\x03" * 32),
                "/transparansi/proof": b"{not json",
            },
            "malformed",
        ),
    ]
    for replace, message in cases:
        assert main([URL, "--store", str(store)], _fetcher(client, replace)) == 1
        assert message in capsys.readouterr().err
    other = note.Signer.from_seed(signer.name, b"\x09" * 32).verifier
    assert main([URL, "--store", str(store), "--key", str(other)], _fetcher(client)) == 1
    assert "differs from the key stored" in capsys.readouterr().err
    fresh = tmp_path / "other-auditor"
    assert main([URL, "--store", str(fresh), "--key", str(other)], _fetcher(client)) == 1
    assert "not signed by the log key" in capsys.readouterr().err
    assert main([URL, "--store", str(fresh), "--key", "garbage"], _fetcher(client)) == 1
    assert "log key is not valid" in capsys.readouterr().err


def checkpoints_signer() -> note.Signer:
    from pakta.audit.checkpoints import log_signer

    return log_signer()


def test_the_command_line_fails_cleanly_when_the_log_cannot_be_reached(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pakta",
            "audit",
            "witness",
            "http://127.0.0.1:9/",
            "--store",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr
