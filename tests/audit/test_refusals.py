"""A refused checkpoint signs nothing: no row, no event, no witness line (issue 20,
item 6). Checkpoints are the audit app's only refusable service."""

from __future__ import annotations

import pytest

from pakta.audit.checkpoints import checkpoint_create, witness_path
from pakta.audit.models import Checkpoint
from pakta.org.models import Pemda
from tests.audit.attacks import rewrite_history
from tests.audit.test_checkpoints import _append
from tests.kit import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_log(pemda_a: Pemda) -> Checkpoint:
    """A log of a few events with one checkpoint, stored and witnessed."""
    _append(pemda_a, 4)
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    return checkpoint


def test_a_rewritten_history_is_not_signed(pemda_a: Pemda, signed_log: Checkpoint) -> None:
    """After an insider edits an old event, the next checkpoint is refused."""
    rewrite_history(lambda events: events[1].summary.update({"n": 99}))
    _append(pemda_a, 1)
    witnessed = witness_path().read_text()

    with assert_refused(Checkpoint, match="no longer match The latest stored checkpoint"):
        checkpoint_create()
    assert witness_path().read_text() == witnessed


def test_removed_entries_are_not_signed(signed_log: Checkpoint) -> None:
    """After an insider deletes the newest event, the log refuses to vouch for the shorter tree."""
    rewrite_history(lambda events: events.pop())
    witnessed = witness_path().read_text()

    with assert_refused(Checkpoint, match="entries were removed. Nothing was signed"):
        checkpoint_create()
    assert witness_path().read_text() == witnessed


def test_the_witness_file_still_catches_a_rewrite(pemda_a: Pemda, signed_log: Checkpoint) -> None:
    """Deleting the stored checkpoints too does not help: the witness file refuses the rewrite."""
    rewrite_history(lambda events: events[1].summary.update({"n": 99}))
    Checkpoint.objects.all().delete()
    _append(pemda_a, 1)
    witnessed = witness_path().read_text()

    with assert_refused(Checkpoint, match="no longer match The witness file's last checkpoint"):
        checkpoint_create()
    assert witness_path().read_text() == witnessed


def test_a_damaged_witness_file_stops_signing(pemda_a: Pemda, signed_log: Checkpoint) -> None:
    """A witness file whose last line is not a checkpoint of this log is reported, not extended."""
    with witness_path().open("a") as handle:
        handle.write('{"note": "not a checkpoint"}\n')
    _append(pemda_a, 1)
    witnessed = witness_path().read_text()

    with assert_refused(Checkpoint, match="is not a valid checkpoint of this log"):
        checkpoint_create()
    assert witness_path().read_text() == witnessed
