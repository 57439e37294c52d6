"""Objects the permission matrix needs for the event report pages (see
tests/core/test_permission_matrix.py). Add further pacts factories here."""

from __future__ import annotations

from typing import Any

from pakta.pacts.models import BookletJob, SigningEvent


def make_booklet_job(world: Any, side: str) -> BookletJob:
    """A queued booklet of an event of Pemda ``side`` (not built: its pages show the progress)."""
    event = world.pk(SigningEvent, side, fresh=True)
    return BookletJob.objects.create(
        pemda=world.pemda[side], event_id=event, created_by=world.superadmin
    )


FACTORIES = {BookletJob: make_booklet_job}
