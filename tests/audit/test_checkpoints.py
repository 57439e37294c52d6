"""Signed checkpoints: C2SP format, the log key outside the database, the witnesses (file and
mail), the public endpoints, and the inclusion proof on a document's public page."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import translation

from pakta.accounts.models import User
from pakta.audit import log, merkle, note
from pakta.audit.checkpoints import (
    CheckpointRefused,
    checkpoint_create,
    log_verifier,
    witness_file_notes,
)
from pakta.audit.models import AuditEvent, Checkpoint
from pakta.audit.services import PendingEvent, audit_record_many
from pakta.org.models import Official, Pemda
from pakta.signing.models import SignedDocument
from tests.signing.conftest import sign_as_signer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _witnesses(settings: Any, tmp_path: Path) -> None:
    settings.PAKTA_AUDIT_WITNESS_DIR = tmp_path / "witness"
    settings.PAKTA_AUDIT_WITNESS_EMAILS = ["inspektorat@example.go.id", "korsup@example.go.id"]
    settings.LANGUAGE_CODE = "en"


def _append(pemda: Pemda, count: int) -> None:
    with transaction.atomic():
        audit_record_many(
            actor=None,
            events=[
                PendingEvent(action="org.pemda.updated", obj=pemda, summary={"n": i})
                for i in range(count)
            ],
        )


def test_a_checkpoint_is_signed_stored_witnessed_and_mailed(
    pemda_a: Pemda, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _append(pemda_a, 5)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = checkpoint_create()
    assert checkpoint is not None
    size = log.tree_size()
    assert checkpoint.size == size
    # C2SP: origin, size, base64 root, extension; blank line; em-dash signature line.
    lines = checkpoint.note.split("\n")
    assert lines[0] == "127.0.0.1:8000/transparansi"
    assert lines[1] == str(size)
    assert base64.b64decode(lines[2]) == log.root_at(size)
    assert lines[3].startswith("time ")
    assert lines[4] == ""
    assert lines[5].startswith("\u2014 127.0.0.1:8000/transparansi ")
    parsed = note.verify_checkpoint(checkpoint.note, log_verifier())
    assert (parsed.size, parsed.root.hex()) == (size, checkpoint.root_hash)
    # Witness file: one JSON line with the same note.
    assert [n.note for n in witness_file_notes()] == [checkpoint.note]
    # Mailed to each address, one message each (neither witness sees the other's address).
    assert [m.to for m in mail.outbox] == [["inspektorat@example.go.id"], ["korsup@example.go.id"]]
    assert all(checkpoint.note in m.body for m in mail.outbox)
    # Nothing new: no second checkpoint.
    assert checkpoint_create() is None
    _append(pemda_a, 2)
    second = checkpoint_create()
    assert second is not None and second.size == size + 2
    assert len(list(witness_file_notes())) == 2


def test_a_wrong_key_or_a_changed_checkpoint_does_not_verify(pemda_a: Pemda) -> None:
    _append(pemda_a, 3)
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    other = note.Signer.from_seed("127.0.0.1:8000/transparansi", b"\x07" * 32).verifier
    with pytest.raises(note.NoteError, match="not signed by the log key"):
        note.verify_checkpoint(checkpoint.note, other)
    forged = checkpoint.note.replace(f"\n{checkpoint.size}\n", f"\n{checkpoint.size + 1}\n")
    with pytest.raises(note.NoteError, match="does not verify"):
        note.verify_checkpoint(forged, log_verifier())
    for bad in ("", "hello\n", "a\nb\n\n\u2014 x AAAA\n", "origin\nten\nAAAA\n\n\u2014 x y\n"):
        with pytest.raises(note.NoteError):
            note.verify_checkpoint(bad, log_verifier())
    with pytest.raises(note.NoteError):
        note.Verifier.parse("name+00000000+AAAA")


def test_the_log_refuses_to_sign_a_rewritten_history(pemda_a: Pemda) -> None:
    _append(pemda_a, 4)
    assert checkpoint_create() is not None
    # An insider rewrites event 2 and every hash after it, and the stored checkpoints too.
    from tests.audit.attacks import rewrite_history

    rewrite_history(lambda events: events[1].summary.update({"n": 99}))
    Checkpoint.objects.all().delete()
    _append(pemda_a, 1)
    with pytest.raises(CheckpointRefused, match="witness file's last checkpoint"):
        checkpoint_create()


def test_public_endpoints_serve_checkpoints_keys_and_proofs(pemda_a: Pemda, client: Client) -> None:
    _append(pemda_a, 9)
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    size = checkpoint.size

    page = client.get("/transparansi/")
    assert page.status_code == 200
    assert checkpoint.note in page.content.decode()
    latest = client.get("/transparansi/checkpoint")
    assert latest.content.decode() == checkpoint.note
    assert client.get(f"/transparansi/checkpoint/{size}").content.decode() == checkpoint.note
    assert client.get(f"/transparansi/checkpoint/{size + 1}").status_code == 404
    key = note.Verifier.parse(client.get("/transparansi/key").content.decode())
    root = note.verify_checkpoint(checkpoint.note, key).root

    proof = client.get("/transparansi/proof/inclusion", {"index": 3}).json()
    leaf = bytes.fromhex(AuditEvent.objects.get(seq=4).hash)
    assert base64.b64decode(proof["leaf_hash"]) == leaf
    path = [base64.b64decode(h) for h in proof["proof"]]
    assert merkle.verify_inclusion(leaf, 3, size, path, root)

    consistency = client.get("/transparansi/proof/consistency", {"from": 2, "to": size}).json()
    assert merkle.verify_consistency(
        2, size, log.root_at(2), root, [base64.b64decode(h) for h in consistency["proof"]]
    )
    for url, params, message in [
        ("/transparansi/proof/inclusion", {"index": size, "size": size}, "is not in the tree"),
        ("/transparansi/proof/inclusion", {"index": 0, "size": size + 50}, "there is no tree"),
        ("/transparansi/proof/inclusion", {"index": "x"}, "whole number"),
        ("/transparansi/proof/inclusion", {}, "missing"),
        ("/transparansi/proof/consistency", {"from": size, "to": 2}, "smaller tree"),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400, (params, response.content)
        assert message in response.json()["error"]


def test_the_verification_page_shows_the_documents_inclusion_proof(
    document_a: SignedDocument, official_a: Official, client: Client, superadmin: User
) -> None:
    sign_as_signer(document_a, official_a)
    before = client.get(document_a.get_verification_url()).content.decode()
    assert "will be covered by the next signed checkpoint" in before
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    page = client.get(document_a.get_verification_url()).content.decode()
    leaf = log.document_leaf(document_a.pk)
    assert leaf is not None
    assert leaf.hash in page
    assert f"?index={leaf.seq - 1}&amp;size={checkpoint.size}" in page
    proof = log.inclusion_proof(leaf.seq - 1, checkpoint.size)
    for digest in proof.path:
        assert base64.b64encode(digest).decode() in page


def test_the_command_and_the_task_sign_only_when_events_arrived(
    pemda_a: Pemda, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    from pakta.audit.tasks import audit_checkpoint_task

    _append(pemda_a, 2)
    call_command("audit_checkpoint")
    out = capsys.readouterr().out
    assert out.splitlines()[1] == str(log.tree_size())
    call_command("audit_checkpoint")
    assert capsys.readouterr().out.startswith("no new events: latest checkpoint ")
    _append(pemda_a, 1)
    result = audit_checkpoint_task.enqueue(reschedule=True)  # immediate backend in tests
    assert result.return_value == log.tree_size() == Checkpoint.objects.latest("size").size


def test_the_transparency_page_speaks_indonesian_by_default(
    pemda_a: Pemda, client: Client, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "id"
    _append(pemda_a, 1)
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    with translation.override("id"):
        page = client.get("/transparansi/").content.decode()
    assert "Log transparansi" in page
    assert "Checkpoint bertanda tangan terakhir" in page
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
    months += ["September", "Oktober", "November", "Desember"]
    assert f"{checkpoint.created_at.day} {months[checkpoint.created_at.month - 1]}" in page
