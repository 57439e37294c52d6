"""The signed-note format interoperates with Go's golang.org/x/mod/sumdb/note (the reference
implementation of c2sp.org/signed-note): its documented example key and note verify here, and a
note signed here has the same shape."""

from __future__ import annotations

import pytest

from pakta.audit import note

# The example of golang.org/x/mod/sumdb/note's package documentation.
GO_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
    "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_the_go_reference_example_verifies() -> None:
    verifier = note.Verifier.parse(GO_KEY)
    assert str(verifier) == GO_KEY
    assert note.open_note(GO_NOTE, verifier) == GO_TEXT


def test_a_changed_text_or_signature_does_not_verify() -> None:
    verifier = note.Verifier.parse(GO_KEY)
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(GO_NOTE.replace("answer", "question"), verifier)
    with pytest.raises(note.NoteError):
        note.open_note(GO_NOTE.replace("x08go", "y08go"), verifier)


def test_a_note_signed_here_round_trips() -> None:
    signer = note.Signer.from_seed("example.go.id/transparansi", b"\x11" * 32)
    signed = signer.sign("example.go.id/transparansi\n3\n" + "A" * 43 + "=\n")
    lines = signed.split("\n")
    assert lines[3] == "" and lines[4].startswith("\u2014 example.go.id/transparansi ")
    checkpoint = note.verify_checkpoint(signed, note.Verifier.parse(str(signer.verifier)))
    assert (checkpoint.origin, checkpoint.size) == ("example.go.id/transparansi", 3)
