"""The event booklet: built in a background task with its progress on a page, then downloaded.

The booklet is a cover (title, date, place, leader), an index of every participant with status
and the page where their pact starts, then every signed pact's current PDF.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.audit.selectors import audit_chain_verify
from pakta.core.documents import document_read
from pakta.core.errors import DomainError
from pakta.notifications.models import Notification
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import booklet
from pakta.pacts import services as pacts
from pakta.pacts.models import BookletJob
from tests.conftest import client_for
from tests.pacts.event_world import EventWorld, build_event_world


@pytest.fixture
def world(pemda_a: Pemda, official_a: Official, unit_a: Unit, superadmin: User) -> EventWorld:
    return build_event_world(pemda_a, official_a, unit_a, superadmin)


COVER_NOTE = (
    "This booklet is a compilation of the integrity pacts signed at this event, bound for reading "
    "and archiving. It is not itself a signed document, and binding the pacts together does not "
    "preserve their electronic signatures. Each pact is verified individually: scan the QR code "
    "on the pact, or enter its verification code on the verification page shown beneath the QR "
    "code."
)


def _text(page: Any) -> str:
    return re.sub(r"\s+", " ", page.extract_text() or "")


def _start_and_run(client: Any, world: EventWorld, capture: Any) -> BookletJob:
    url = reverse(
        "pactreports:booklet_start", kwargs={"pemda": world.event.pemda.slug, "pk": world.event.pk}
    )
    with capture(execute=True):  # the task is enqueued on commit and runs at once in tests
        response = client.post(url)
    job = BookletJob.objects.get(event=world.event)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    return job


def test_booklet_binds_cover_index_and_every_signed_pact(
    world: EventWorld,
    role_users: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = role_users["admin"]
    job = _start_and_run(client_for(admin), world, django_capture_on_commit_callbacks)

    assert job.status == BookletJob.Status.DONE
    assert (job.total, job.done, job.progress_percent) == (2, 2, 100)
    reader = PdfReader(io.BytesIO(document_read(job.document)))
    pact_pages = [
        len(PdfReader(io.BytesIO(document_read(p.document.pdf))).pages) for p in world.signed
    ]
    front_pages = len(reader.pages) - sum(pact_pages)
    assert front_pages >= 2  # a cover, then the index

    cover = _text(reader.pages[0])
    assert "Penandatanganan Pakta Integritas 2026" in cover
    assert "Aula Krakatau" in cover and "26 Maret 2026" in cover
    assert "Bambang Wijaya" in cover and "Bupati Alfa" in cover
    with translation.override("id"):  # the booklet's language
        note = gettext(COVER_NOTE)
    # The note that the booklet is a compilation and each pact is verified by its own QR code.
    assert " ".join(note.split()[:8]) in cover and "QR" in cover

    index = " ".join(_text(reader.pages[i]) for i in range(1, front_pages))
    for name in ("Hadi Santoso", "Agus Prasetyo", "Dewi Lestari", "Rina Marlina", "Joko Susilo"):
        assert name in index
    assert "Cuti besar" in index  # the excused official's reason

    # Each signed pact starts on the page the index gives for it.
    padded = index + " "
    start = front_pages + 1
    for pact, pages in zip(
        sorted(world.signed, key=lambda p: (p.unit.name, p.official.name)), pact_pages, strict=True
    ):
        # The index row: "<no> <name> NIP <nip> <position> <unit> <status> <page>"
        assert re.search(rf"NIP {pact.official.nip} [^\d]*? {start} ", padded), (start, index)
        page_text = _text(reader.pages[start - 1])
        assert pact.official.full_name in page_text and "PAKTA INTEGRITAS" in page_text
        assert pact.document.short_code_display in page_text  # the pact's own verification code
        start += pages
    assert start - 1 == len(reader.pages)
    # Officials without a signed pact have no page.
    assert re.search(r"NIP 198105052006041005 [^\d]*? - ", padded), index

    # The booklet is stored, audited and its author notified; the audit chain still holds.
    assert AuditEvent.objects.filter(action="pacts.booklet.requested").count() == 1
    built = AuditEvent.objects.get(action="pacts.booklet.built")
    assert built.summary["pacts"] == 2 and built.summary["sha256"] == job.document.sha256
    assert Notification.objects.filter(user=admin, url=job.get_absolute_url()).exists()
    assert audit_chain_verify().ok


def test_progress_page_polls_until_done_then_offers_the_download(
    world: EventWorld, role_users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(role_users["admin"])
    queued = booklet.booklet_job_start(event=world.event, acting_user=role_users["admin"])
    # While the job waits, the progress fragment keeps polling and offers no download.
    fragment = admin.get(queued.get_absolute_url(), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert 'id="booklet-progress"' in html and 'hx-trigger="every 1s"' in html
    assert "booklet-download" not in html
    assert "<html" not in html  # a fragment, not the whole page

    booklet.booklet_build(job_id=queued.pk)
    fragment = admin.get(queued.get_absolute_url(), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "hx-trigger" not in html and 'id="booklet-download"' in html
    queued.refresh_from_db()
    response = admin.get(
        reverse("pactreports:booklet_download", kwargs={"pemda": "alfa", "pk": queued.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == document_read(queued.document)
    # Starting again while a booklet is being built returns that job; a finished one allows anew.
    again = booklet.booklet_job_start(event=world.event, acting_user=role_users["admin"])
    assert again.pk != queued.pk


def test_a_running_booklet_is_not_started_twice(
    world: EventWorld, role_users: dict[str, User]
) -> None:
    first = booklet.booklet_job_start(event=world.event, acting_user=role_users["admin"])
    second = booklet.booklet_job_start(event=world.event, acting_user=role_users["admin"])
    assert first.pk == second.pk
    assert AuditEvent.objects.filter(action="pacts.booklet.requested").count() == 1


def test_no_booklet_without_a_signed_pact(
    pemda_a: Pemda, official_a: Official, superadmin: User, role_users: dict[str, User]
) -> None:
    import datetime as dt

    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="PI 2026",
        date=dt.date(2026, 1, 8),
        place="Aula",
        template=pacts.template_current(pemda_a, superadmin),
    )
    pacts.event_add_participants(event=event, officials=[official_a], acting_user=superadmin)
    with pytest.raises(DomainError):
        booklet.booklet_job_start(event=event, acting_user=superadmin)
    response = client_for(role_users["admin"]).post(
        reverse("pactreports:booklet_start", kwargs={"pemda": "alfa", "pk": event.pk}),
        follow=True,
    )
    assert response.status_code == 200
    assert not BookletJob.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_kepala_opd_follows_progress_but_cannot_download_the_whole_event(
    world: EventWorld, role_users: dict[str, User]
) -> None:
    job = booklet.booklet_build(
        job_id=booklet.booklet_job_start(event=world.event, acting_user=role_users["admin"]).pk
    )
    kepala = client_for(role_users["kepala_opd"])
    page = kepala.get(job.get_absolute_url())
    assert page.status_code == 200 and "booklet-download" not in page.content.decode()
    download = kepala.get(
        reverse("pactreports:booklet_download", kwargs={"pemda": "alfa", "pk": job.pk})
    )
    assert download.status_code == 302 and download["Content-Type"] != "application/pdf"
    # A pegawai may not see it at all; another Pemda's admin does not learn it exists.
    assert client_for(role_users["pegawai"]).get(job.get_absolute_url()).status_code == 403


def test_other_pemda_cannot_reach_the_booklet(
    world: EventWorld, role_users: dict[str, User], other_pemda_admin: User
) -> None:
    job = booklet.booklet_job_start(event=world.event, acting_user=role_users["admin"])
    response = client_for(other_pemda_admin).get(
        reverse("pactreports:booklet_detail", kwargs={"pemda": "beta", "pk": job.pk})
    )
    assert response.status_code == 404
