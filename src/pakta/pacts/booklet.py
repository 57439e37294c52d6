"""The booklet of a signing event: a cover, an index of participants, then every signed pact.

The booklet is a compilation for reading and archiving, not a signed document: merging PDFs
drops the individual signatures, so the cover says that each pact is verified on its own by
its QR code (which every pact page carries). It is built in a background task that records its
progress on a ``BookletJob``; the finished file goes to the document store.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from pakta.audit.services import audit_record
from pakta.core.documents import document_read, document_store
from pakta.core.errors import DomainError
from pakta.core.templatetags.pakta import format_waktu
from pakta.pacts.models import BookletJob, Pact, SigningEvent
from pakta.pacts.rendering import logo_data_uri, render_pdf, tanggal_id
from pakta.signing.models import documents_with_state

PDF = "application/pdf"
# Progress is written at most this often (in pacts), so a large event does not write per pact.
PROGRESS_EVERY = 5


@dataclass
class IndexEntry:
    number: int
    name: str
    nip: str
    position: str
    unit: str
    status: str
    status_label: str
    reason: str
    page: int | None = None
    state: str = ""  # the pact's document when it no longer holds: superseded, withdrawn, revoked


def state_text(document: Any) -> str:
    """The state of a document that no longer holds, with its date in the Pemda's zone (in the
    active language); empty while it holds."""
    if document is None or document.state == "current":
        return ""
    when = format_waktu(document.state_at, document.pemda.timezone)
    if document.state == "superseded":
        current = document.superseded_by
        return _("Superseded on %(when)s by %(code)s") % {
            "when": when,
            "code": current.short_code_display if current else "—",
        }
    if document.state == "withdrawn":
        return _("Withdrawn on %(when)s: %(reason)s") % {
            "when": when,
            "reason": document.withdrawal_reason,
        }
    return _("Certificate revoked on %(when)s") % {"when": when}


def booklet_pacts(event: SigningEvent) -> list[Pact]:
    """Every participant of the event, in the booklet's order (unit, then name)."""
    return list(
        Pact.objects.filter(event=event)
        .select_related("official", "position", "unit", "document__pdf", "document__pemda")
        .order_by("unit__name", "official__name", "pk")
    )


@transaction.atomic
def booklet_job_start(*, event: SigningEvent, acting_user: Any) -> BookletJob:
    """Queue the building of an event's booklet; refused while no pact of the event is signed."""
    if not Pact.objects.filter(event=event, status=Pact.Status.SIGNED).exists():
        raise DomainError(_("No pact of this event has been signed yet: there is nothing to bind."))
    running = BookletJob.objects.filter(
        event=event, status__in=[BookletJob.Status.QUEUED, BookletJob.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    job = BookletJob.objects.create(pemda_id=event.pemda_id, event=event, created_by=acting_user)
    audit_record(
        actor=acting_user,
        action="pacts.booklet.requested",
        obj=job,
        summary={"event_id": event.pk},
    )
    from pakta.pacts.tasks import booklet_build_task

    transaction.on_commit(lambda: booklet_build_task.enqueue(job.pk))
    return job


def _front_matter(event: SigningEvent, entries: list[IndexEntry], signed: int) -> bytes:
    pemda = event.pemda
    leader_name = event.leader.full_name if event.leader else ""
    return render_pdf(
        "pacts/documents/booklet_front.html",
        {
            "title": event.title,
            "event": event,
            "pemda": pemda,
            "logo": logo_data_uri(pemda),
            "date_text": tanggal_id(event.date),
            "leader_name": leader_name,
            "entries": entries,
            "signed": signed,
            "built_text": tanggal_id(timezone.localdate()),
        },
    )


def _page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def _record_pdf(event: SigningEvent) -> bytes:
    """The ceremony record's current PDF (``pacts.ceremony``), once the event is closed."""
    record = event.record
    if record is None or record.pdf is None:
        return b""
    return document_read(record.pdf)


def booklet_build(*, job_id: int) -> BookletJob:
    """Build the booklet of a queued job, writing progress as each pact is read."""
    job = BookletJob.objects.select_related("event__pemda", "event__leader").get(pk=job_id)
    if job.is_finished:
        return job
    event = job.event
    pacts = booklet_pacts(event)
    signed = [p for p in pacts if p.status == Pact.Status.SIGNED and p.document is not None]
    BookletJob.objects.filter(pk=job.pk).update(
        status=BookletJob.Status.RUNNING, total=len(signed), done=0
    )

    # Read every signed pact first: the index needs each one's page count.
    contents: dict[int, bytes] = {}
    pages: dict[int, int] = {}
    for done, pact in enumerate(signed, start=1):
        content = document_read(pact.document.pdf)  # type: ignore[union-attr, arg-type]
        contents[pact.pk] = content
        pages[pact.pk] = _page_count(content)
        if done % PROGRESS_EVERY == 0 or done == len(signed):
            BookletJob.objects.filter(pk=job.pk).update(done=done)

    documents_with_state(p.document for p in pacts)
    with translation.override("id"):  # the booklet's language, like the pacts it binds
        entries = [
            IndexEntry(
                number=number,
                name=pact.official.full_name,
                nip=pact.official.nip,
                position=pact.position.title if pact.position else "",
                unit=pact.unit.name if pact.unit else "",
                status=pact.status,
                status_label=str(pact.get_status_display()),
                reason=pact.excused_reason,
                state=state_text(pact.document),
            )
            for number, pact in enumerate(pacts, start=1)
        ]
        cover_label = _("Cover and index")
    by_pk = {pact.pk: entry for pact, entry in zip(pacts, entries, strict=True)}

    # The front matter's length decides the first page of each pact, and the page numbers can
    # change the front matter's length: render until it is stable (twice in practice).
    front_pages = 1
    front = b""
    for _attempt in range(4):
        page = front_pages + 1
        for pact in signed:
            by_pk[pact.pk].page = page
            page += pages[pact.pk]
        front = _front_matter(event, entries, len(signed))
        count = _page_count(front)
        if count == front_pages:
            break
        front_pages = count

    writer = PdfWriter()
    writer.append(io.BytesIO(front), import_outline=False)
    writer.add_outline_item(title=cover_label, page_number=0)
    for pact in signed:
        start = len(writer.pages)
        writer.append(io.BytesIO(contents[pact.pk]), import_outline=False)
        writer.add_outline_item(title=pact.official.full_name, page_number=start)
    record = _record_pdf(event)
    if record:  # the Berita Acara closes the booklet, as signed so far
        start = len(writer.pages)
        writer.append(io.BytesIO(record), import_outline=False)
        writer.add_outline_item(title="Berita Acara Penandatanganan", page_number=start)
    writer.add_metadata({"/Title": event.title, "/Producer": "Pakta"})
    buffer = io.BytesIO()
    writer.write(buffer)

    stored = document_store(
        content=buffer.getvalue(),
        content_type=PDF,
        original_name=f"buku-pakta-{event.pk}.pdf",
    )
    with transaction.atomic():
        job = BookletJob.objects.select_for_update().get(pk=job.pk)
        job.document = stored
        job.status = BookletJob.Status.DONE
        job.done = len(signed)
        job.total = len(signed)
        job.finished_at = timezone.now()
        job.save(update_fields=["document", "status", "done", "total", "finished_at", "updated_at"])
        audit_record(
            actor=job.created_by,
            action="pacts.booklet.built",
            obj=job,
            summary={
                "event_id": event.pk,
                "pacts": len(signed),
                "pages": len(writer.pages),
                "sha256": stored.sha256,
            },
        )
    if job.created_by is not None:
        from pakta.notifications.services import notify

        notify(
            user=job.created_by,
            pemda=event.pemda,
            message=_("The booklet of “%(event)s” is ready.") % {"event": event.title},
            url=job.get_absolute_url(),
        )
    return job


def booklet_job_fail(*, job_id: int) -> None:
    """Mark a job failed (the task calls this when building raised)."""
    BookletJob.objects.filter(pk=job_id).exclude(status=BookletJob.Status.DONE).update(
        status=BookletJob.Status.FAILED, finished_at=timezone.now()
    )


def booklet_job_list_for(*, pemda: Any, event: SigningEvent | None = None) -> QuerySet[BookletJob]:
    qs = BookletJob.objects.filter(pemda=pemda).select_related("event", "created_by", "document")
    if event is not None:
        qs = qs.filter(event=event)
    return qs.order_by("-created_at", "-pk")


def booklet_job_get_for(*, pemda: Any, pk: int) -> BookletJob:
    return get_object_or_404(booklet_job_list_for(pemda=pemda), pk=pk)
