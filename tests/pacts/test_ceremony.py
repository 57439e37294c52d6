"""The ceremony record (Berita Acara Penandatanganan): made when the event closes, signed by the
leader and the internal witnesses in their inbox, and by an external witness through a one-time
link and code with a short-lived certificate; checked with pdfsig; bound into the booklet."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.documents import document_read
from pakta.core.roles import Role
from pakta.core.todo import todo_list_for
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import ceremony
from pakta.pacts import services as pacts
from pakta.pacts.models import BookletJob, EventWitness, SigningEvent, WitnessLink
from pakta.signing.models import Signature, SignedDocument, SigningIdentity
from tests.conftest import PASSWORD, client_for
from tests.kit import AuditWatch, assert_refused
from tests.pacts.event_world import EventWorld, build_event_world
from tests.signing.conftest import pdfsig, user_for
from tests.signing.test_stamps import stamp_text_of


@pytest.fixture
def world(pemda_a: Pemda, official_a: Official, unit_a: Unit, superadmin: User) -> EventWorld:
    return build_event_world(pemda_a, official_a, unit_a, superadmin)


@pytest.fixture
def inspektur(pemda_a: Pemda, superadmin: User) -> Official:
    unit = org.unit_create(pemda=pemda_a, name="Inspektorat", acting_user=superadmin)
    position = org.position_create(
        pemda=pemda_a,
        unit=unit,
        title="Inspektur",
        level="jpt_pratama",
        acting_user=superadmin,
        is_unit_head=True,
    )
    official = org.official_create(
        pemda=pemda_a, nip="197206062000031006", name="Hendra Gunawan", acting_user=superadmin
    )
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    return official


def _witnesses(world: EventWorld, inspektur: Official, by: User) -> EventWitness:
    pacts.event_add_witness(event=world.event, acting_user=by, official=inspektur)
    return pacts.event_add_witness(
        event=world.event,
        acting_user=by,
        name="Dr. Ratna Sari, S.H.",
        organisation="Kejaksaan Negeri Alfa",
        email="ratna@kejari.example.test",
    )


def _close(world: EventWorld, by: User, capture: Any) -> SigningEvent:
    with capture(execute=True):  # the witness's e-mail leaves after the commit
        pacts.event_close(event=world.event, acting_user=by)
    event = SigningEvent.objects.get(pk=world.event.pk)
    assert event.record is not None
    return event


def _text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", out.stdout.decode())


def _link_token() -> str:
    (message,) = [m for m in mail.outbox if "ratna@kejari.example.test" in m.to]
    return re.search(r"/saksi/([^/\s]+)/", message.body).group(1)  # type: ignore[union-attr]


def _code() -> str:
    message = [m for m in mail.outbox if m.subject.startswith("Kode sekali pakai")][-1]
    return re.search(r"(\d{6})", message.subject).group(1)  # type: ignore[union-attr]


def test_closing_makes_the_record_signed_by_leader_and_every_witness(
    world: EventWorld,
    inspektur: Official,
    superadmin: User,
    role_users: dict[str, User],
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    external = _witnesses(world, inspektur, superadmin)
    event = _close(world, superadmin, django_capture_on_commit_callbacks)
    record = event.record
    assert record is not None and record.kind == SignedDocument.Kind.RECORD
    text = _text(document_read(record.pdf))  # type: ignore[arg-type]
    assert "BERITA ACARA PENANDATANGANAN" in text
    assert "Kamis tanggal 26 Maret 2026, bertempat di Aula Krakatau" in text
    assert "dipimpin oleh Bambang Wijaya, Bupati Alfa" in text
    for name in ("Agus Prasetyo", "Rina Marlina", "Cuti besar", "Joko Susilo", "Dewi Lestari"):
        assert name in text, name
    assert "Hendra Gunawan" in text and "Kejaksaan Negeri Alfa" in text
    assert "Pemangku kepentingan eksternal" in text
    assert re.search(r"\d{2}\.\d{2} WIB", text), text  # signing times with the Pemda's zone

    # The leader and the internal witness find it in "Tugas saya".
    leader, witness_user = user_for(world.bupati), user_for(inspektur)
    for user in (leader, witness_user):
        membership_grant(user=user, pemda=event.pemda, role=Role.PEGAWAI, acting_user=superadmin)
    url = reverse("pacts:event_record", kwargs={"pemda": event.pemda.slug, "pk": event.pk})
    for user in (leader, witness_user):
        assert url in [t.url for t in todo_list_for(user=user, pemda=event.pemda)]

    # A wrong password signs nothing.
    with assert_refused(Signature, match="tidak ada dokumen yang ditandatangani"):
        ceremony.record_sign(event=event, acting_user=leader, credential="salah")

    # The leader signs on the record page, in Indonesian.
    client = client_for(leader)
    page = client.get(url)
    assert page.status_code == 200 and "Tandatangani sebagai pimpinan acara" in page.text
    response = client.post(url, {"agree": "on", "credential": PASSWORD}, follow=True)
    assert "Anda menandatangani berita acara pada" in response.text
    ceremony.record_sign(event=event, acting_user=witness_user, credential=PASSWORD)
    assert url not in [t.url for t in todo_list_for(user=leader, pemda=event.pemda)]

    # The external witness: the link from the e-mail, a code on request, the signature.
    token = _link_token()
    public = Client()  # a fresh browser, no login
    sign_url = reverse("witness:sign", kwargs={"token": token})
    page = public.get(sign_url)
    assert page.status_code == 200 and "Dr. Ratna Sari" in page.text
    assert public.get(reverse("witness:pdf", kwargs={"token": token})).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        public.post(sign_url, {"action": "code"})
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    with assert_refused(Signature, SigningIdentity):
        ceremony.witness_external_sign(token=token, code=wrong)
    response = public.post(sign_url, {"action": "sign", "code": wrong, "agree": "on"})
    assert response.status_code == 400 and "Kode salah" in response.text
    response = public.post(sign_url, {"action": "sign", "code": code, "agree": "on"})
    assert response.status_code == 200 and "menandatangani berita acara" in response.text

    signature = Signature.objects.get(document=record, role=Signature.Role.EXTERNAL_WITNESS)
    assert signature.signer_name == "Dr. Ratna Sari, S.H."
    assert signature.signer_position == "Kejaksaan Negeri Alfa"
    identity = signature.identity
    assert identity.kind == SigningIdentity.Kind.EXTERNAL and identity.official is None
    certificate = x509.load_pem_x509_certificate(identity.certificate_pem.encode())
    subject = certificate.subject.rfc4514_string()
    assert "CN=Dr. Ratna Sari" in subject and "O=Kejaksaan Negeri Alfa" in subject
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime <= dt.timedelta(days=1, minutes=5)

    record.refresh_from_db()
    assert record.status == SignedDocument.Status.COMPLETED
    output = pdfsig(document_read(record.pdf), tmp_path)  # type: ignore[arg-type]
    assert output.count("Signature is Valid.") == 3, output
    assert "Dr. Ratna Sari" in output and "Hendra Gunawan" in output
    # Each signature is stamped visibly in its own block of the record (a box of real size).
    signed = document_read(record.pdf)  # type: ignore[arg-type]
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    for embedded in reader.embedded_signatures:
        x1, y1, x2, y2 = (float(v) for v in embedded.sig_field["/Rect"])
        assert x2 - x1 > 100 and y2 - y1 > 30, embedded.field_name
    stamp = stamp_text_of(signed, f"ext_witness-w{external.pk}")
    assert "Dr. Ratna Sari, S.H." in stamp and "Saksi" in stamp
    assert "Ditandatangani secara elektronik" in stamp

    # The link is spent.
    again = public.get(sign_url)
    assert again.status_code == 410 and "sudah digunakan" in again.text
    assert external.links.get().used_at is not None


def test_an_expired_link_says_it_expired(
    world: EventWorld,
    inspektur: Official,
    superadmin: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _witnesses(world, inspektur, superadmin)
    _close(world, superadmin, django_capture_on_commit_callbacks)
    token = _link_token()
    WitnessLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = Client().get(reverse("witness:sign", kwargs={"token": token}))
    assert page.status_code == 410 and "kedaluwarsa" in page.text
    with assert_refused(Signature, match="kedaluwarsa"):
        ceremony.witness_external_sign(token=token, code="123456")
    unknown = Client().get(reverse("witness:sign", kwargs={"token": "x"}))
    assert unknown.status_code == 410 and "tidak berlaku" in unknown.text


def test_wrong_codes_count_toward_the_lockout(
    world: EventWorld,
    inspektur: Official,
    superadmin: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _witnesses(world, inspektur, superadmin)
    _close(world, superadmin, django_capture_on_commit_callbacks)
    token = _link_token()
    with django_capture_on_commit_callbacks(execute=True):
        ceremony.witness_code_send(token=token)
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        with assert_refused(Signature, match="Kode salah"):
            ceremony.witness_external_sign(token=token, code=wrong)
    # Locked: even the right code is refused now.
    with assert_refused(Signature, SigningIdentity, match="Terlalu banyak"):
        ceremony.witness_external_sign(token=token, code=code)


def test_witness_forms_refuse_bad_e_mail_addresses(
    world: EventWorld,
    inspektur: Official,
    superadmin: User,
    admin_client_a: Any,
    other_pemda_admin: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = world.event
    url = reverse("pacts:event_witness", kwargs={"pemda": event.pemda.slug, "pk": event.pk})
    watch, before = AuditWatch(), EventWitness.objects.count()
    response = admin_client_a.post(
        url, {"name": "Ketua DPRD", "organisation": "DPRD", "email": "bukan-email"}, follow=True
    )
    assert "Masukkan alamat e-mail yang benar" in response.text
    assert EventWitness.objects.count() == before and watch.actions() == []
    # A witness added without an address: the link cannot be sent until one is given.
    dprd = pacts.event_add_witness(
        event=event, acting_user=superadmin, name="Ketua DPRD", organisation="DPRD Alfa"
    )
    _close(world, superadmin, django_capture_on_commit_callbacks)
    with assert_refused(WitnessLink, match="Isi alamat e-mail saksi"):
        ceremony.witness_link_send(witness=dprd, acting_user=superadmin)
    with assert_refused(WitnessLink, EventWitness, match="alamat e-mail yang benar"):
        ceremony.witness_link_send(witness=dprd, acting_user=superadmin, email="dprd@")
    link_url = reverse("pacts:witness_link", kwargs={"pemda": event.pemda.slug, "pk": dprd.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_a.post(link_url, {"email": "ketua@dprd.example.test"}, follow=True)
    assert "Tautan penandatanganan telah dikirim ke ketua@dprd.example.test" in response.text
    assert any("ketua@dprd.example.test" in m.to for m in mail.outbox)


def test_the_booklet_binds_the_record_and_pacts_name_the_witnesses(
    world: EventWorld,
    inspektur: Official,
    superadmin: User,
    admin_client_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _witnesses(world, inspektur, superadmin)
    event = _close(world, superadmin, django_capture_on_commit_callbacks)
    ceremony.record_sign(event=event, acting_user=user_for(world.bupati), credential=PASSWORD)
    url = reverse("pactreports:booklet_start", kwargs={"pemda": event.pemda.slug, "pk": event.pk})
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_a.post(url)
    job = BookletJob.objects.get(event=event)
    assert job.status == BookletJob.Status.DONE
    reader = PdfReader(io.BytesIO(document_read(job.document)))  # type: ignore[arg-type]
    titles = [item.title for item in reader.outline]
    assert titles[-1] == "Berita Acara Penandatanganan"
    assert "BERITA ACARA" in (reader.pages[-1].extract_text() or "") or any(
        "BERITA ACARA" in (p.extract_text() or "") for p in reader.pages[-3:]
    )
    # The pact's page names the ceremony's witnesses as "Saksi", the leader as acknowledging.
    pact = world.signed[0]
    page = admin_client_a.get(pact.get_absolute_url())
    assert "Hendra Gunawan; Dr. Ratna Sari, S.H. (Kejaksaan Negeri Alfa)" in page.text
    assert "Mengetahui" in page.text
