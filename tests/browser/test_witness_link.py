"""An external witness signs the ceremony record in Chromium, against a live server.

The event closes; the witness opens the link from their e-mail (no account, no login), reads the
record, asks for a code, mistypes it (a clear message, nothing signed), types it right and sees
their signature confirmed. The spent link then says so.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from pakta.accounts.models import User
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import services as pacts
from pakta.signing.models import Signature
from tests.pacts.event_world import build_event_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _close_with_witness(pemda: Pemda, official: Official, unit: Unit, by: User) -> None:
    world = build_event_world(pemda, official, unit, by)
    pacts.event_add_witness(
        event=world.event,
        acting_user=by,
        name="Ir. Bambang Susanto",
        organisation="DPRD Kabupaten Alfa",
        email="bambang@dprd.example.test",
    )
    pacts.event_close(event=world.event, acting_user=by)


def test_an_external_witness_signs_the_record_through_the_link(
    browser_page: Any,
    live_server: Any,
    pemda_a: Pemda,
    official_a: Official,
    unit_a: Unit,
    superadmin: User,
) -> None:
    # Signing (pyHanko) runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_close_with_witness, pemda_a, official_a, unit_a, superadmin).result()
    (invitation,) = [m for m in mail.outbox if "bambang@dprd.example.test" in m.to]
    link = re.search(r"https?://\S+/saksi/\S+/", invitation.body).group(0)  # type: ignore[union-attr]
    path = link[link.index("/saksi/") :]

    page = browser_page
    page.goto(path)
    assert "Ir. Bambang Susanto" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Baca berita acara (PDF)").count() == 1
    page.get_by_role("button", name="Kirim kode kepada saya").click()
    page.wait_for_load_state()
    codes = [m for m in mail.outbox if m.subject.startswith("Kode sekali pakai")]
    code = re.search(r"\d{6}", codes[-1].subject).group(0)  # type: ignore[union-attr]

    page.locator("input[name=code]").fill("000000" if code != "000000" else "111111")
    page.locator("input[name=agree]").check()
    page.get_by_role("button", name="Tandatangani berita acara").click()
    page.wait_for_load_state()
    assert "Kode salah" in page.locator("#sign-errors").inner_text()
    assert not Signature.objects.filter(role="ext_witness").exists()

    page.locator("input[name=code]").fill(code)
    if not page.locator("input[name=agree]").is_checked():
        page.locator("input[name=agree]").check()
    page.get_by_role("button", name="Tandatangani berita acara").click()
    page.wait_for_load_state()
    notice = page.locator("#signed-notice").inner_text()
    assert "Ir. Bambang Susanto telah menandatangani berita acara" in notice
    assert re.search(r"\d{2}\.\d{2} WIB", notice), notice
    assert Signature.objects.get(role="ext_witness").signer_position == "DPRD Kabupaten Alfa"

    page.goto(path)
    assert "sudah digunakan" in page.locator("#link-refused").inner_text()
    assert reverse("witness:sign", kwargs={"token": "x"}).startswith("/saksi/")
