"""Two people grant a report-reading role and the escrow key, in Chromium against a live server:
the administrator (in English) asks, the head of the Inspektorat (in Indonesian, the default)
finds the request, approves, and the administrator turns the escrow key on."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from pakta.accounts.models import Membership, RoleRequest, User
from pakta.core.roles import ESCROW_HOLDER, Role
from pakta.org.models import Pemda
from pakta.reports.models import EscrowKey
from tests.accounts.test_role_requests import make_inspektur
from tests.conftest import client_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_as(chromium: Any, live_server: Any, user: User, language: str) -> Any:
    """A browser page logged in as ``user`` (two-factor passed) in ``language``."""
    session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(30_000)
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


def test_an_admin_asks_and_the_head_of_the_inspektorat_approves(
    chromium: Any,
    live_server: Any,
    role_users: dict[str, User],
    pemda_a: Pemda,
    superadmin: User,
) -> None:
    admin, newcomer = role_users["admin"], role_users["pegawai"]
    inspektur = make_inspektur(pemda_a, role_users["inspektorat"], superadmin)
    asker = page_as(chromium, live_server, admin, "en")
    head = page_as(chromium, live_server, inspektur, "id")

    # The admin grants the Inspektorat role: it becomes a request.
    asker.goto(f"/p/alfa/users/{newcomer.pk}/roles/new/")
    asker.select_option("select[name=role]", "inspektorat")
    asker.locator("form.stacked button[type=submit]").click()
    asker.wait_for_load_state()
    assert "granted once the head of the Inspektorat or the superadmin approves" in (
        asker.inner_text("body")
    )
    assert not Membership.objects.filter(user=newcomer, role=Role.INSPEKTORAT).exists()

    # The admin asks to hold the escrow key; the button to turn it on is not there yet.
    asker.goto("/p/alfa/reports/escrow/")
    assert asker.get_by_role("button", name="Turn an escrow key on").count() == 0
    asker.get_by_role("button", name="Ask to hold the escrow key").click()
    asker.wait_for_load_state()
    assert "waits for the head of the Inspektorat" in asker.inner_text("body")

    # The head of the Inspektorat finds both in "Tugas saya" and approves them.
    head.goto("/p/alfa/")
    body = head.inner_text("body")
    assert "Putuskan permohonan" in body and "pegawai-a" in body
    head.get_by_role("link", name="Putuskan permohonan").first.click()
    head.wait_for_load_state()
    assert "Permintaan peran pembaca laporan" in head.inner_text("h1")
    for _request in range(2):
        head.get_by_role("button", name="Setujui").first.click()
        head.wait_for_load_state()
    assert head.get_by_role("button", name="Setujui").count() == 0
    assert Membership.objects.filter(user=newcomer, role=Role.INSPEKTORAT).exists()
    assert RoleRequest.objects.get(role=ESCROW_HOLDER).status == RoleRequest.Status.APPROVED

    # The admin turns the escrow key on and sees its private half once.
    asker.goto("/p/alfa/reports/escrow/")
    asker.get_by_role("button", name="Turn an escrow key on").click()
    asker.wait_for_load_state()
    assert "shown only this once" in asker.inner_text("body")
    assert asker.locator(".key-code").inner_text().strip()
    assert EscrowKey.objects.filter(pemda=pemda_a, is_active=True).exists()
    head.goto("/p/alfa/role-requests/")
    assert "kunci sudah dinyalakan" in head.inner_text("body")
