"""Objects the permission matrix needs for the event report pages (see
tests/core/test_permission_matrix.py). Add further pacts factories here."""

from __future__ import annotations

from typing import Any

from pakta.pacts import services as pacts
from pakta.pacts.models import BookletJob, EventWitness, SigningEvent


def make_booklet_job(world: Any, side: str) -> BookletJob:
    """A queued booklet of an event of Pemda ``side`` (not built: its pages show the progress)."""
    event = world.pk(SigningEvent, side, fresh=True)
    return BookletJob.objects.create(
        pemda=world.pemda[side], event_id=event, created_by=world.superadmin
    )


def make_event_witness(world: Any, side: str) -> EventWitness:
    """An external witness of a new event of Pemda ``side``."""
    event = SigningEvent.objects.get(pk=world.pk(SigningEvent, side, fresh=True))
    return pacts.event_add_witness(
        event=event,
        acting_user=world.superadmin,
        name="Kepala Kejaksaan Negeri",
        organisation="Kejari",
        email="kajari@example.test",
    )


FACTORIES = {BookletJob: make_booklet_job, EventWitness: make_event_witness}
