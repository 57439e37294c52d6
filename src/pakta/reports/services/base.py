"""Shared by the reporting services: the case workflow and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from pakta.reports.models import (
    Report,
)

CIPHERTEXT = "application/octet-stream"
MAX_TEXT = 20_000
Stage = Report.Stage

# The case workflow: every edge allowed, from each stage.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.RECEIVED: (Stage.VERIFICATION,),
    Stage.VERIFICATION: (Stage.CLARIFICATION, Stage.INVESTIGATION, Stage.NOT_SUBSTANTIATED),
    Stage.CLARIFICATION: (Stage.VERIFICATION, Stage.INVESTIGATION, Stage.NOT_SUBSTANTIATED),
    Stage.INVESTIGATION: (Stage.SUBSTANTIATED, Stage.NOT_SUBSTANTIATED),
    Stage.SUBSTANTIATED: (Stage.FOLLOW_UP,),
    Stage.NOT_SUBSTANTIATED: (Stage.CLOSED,),
    Stage.FOLLOW_UP: (Stage.CLOSED,),
    Stage.CLOSED: (),
}


@dataclass
class Submission:
    """A filed report and its receipt code (to show once, never stored)."""

    report: Report
    receipt: str
    report_key: bytes = field(repr=False)
