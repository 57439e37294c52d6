"""A head of OPD signs their pact in Chromium while the task worker does the signing.

The consent is sent; the page says "Sedang ditandatangani…" and refreshes itself; the worker
(`db_worker`, as in `make run`) renders and signs the PDF; the page the person is looking at
turns to "Anda menandatangani dokumen ini pada …" without them doing anything. (A bare
``<meta http-equiv="refresh">`` after the consent form's redirect was never followed in a live
run; the refresh now names the page's URL.)
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from pakta.org.models import Pemda
from pakta.pacts.models import Pact
from tests.browser.fixtures import log_in
from tests.conftest import PASSWORD
from tests.pacts.test_views import member, open_event, people, url  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_follows_the_worker_to_the_signed_pact(
    browser_page: Any,
    live_server: Any,
    pemda_a: Pemda,
    people: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = open_event(pemda_a, people, [people["kadis"]])
    pact = event.pacts.get()
    user = member(people["kadis"], pemda_a)

    page = browser_page
    log_in(page, username=user.username, password=PASSWORD)
    page.goto(url("pact_sign", pemda_a, pk=pact.pk))
    page.locator("input[name=agree]").check()
    page.locator("input[name=credential]").fill(PASSWORD)
    page.get_by_role("button", name="Tandatangani pakta").click()
    page.wait_for_load_state()
    pending = page.locator("#signing-pending").inner_text()
    assert pending.startswith("Sedang ditandatangani…")
    assert "halaman ini diperbarui dengan sendirinya" in pending
    assert page.locator("#signed-notice").count() == 0

    # The worker signs, as `make run`'s does (in this thread: it sets signal handlers; pyHanko's
    # event loop then runs in a thread of its own, beside Playwright's).
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    pact.refresh_from_db()
    assert pact.status == Pact.Status.SIGNED

    # The page the signer is looking at follows by itself.
    page.locator("#signed-notice").wait_for(timeout=15_000)
    assert (
        page.locator("#signed-notice")
        .inner_text()
        .startswith("Anda menandatangani dokumen ini pada")
    )
    assert page.locator("#signing-pending").count() == 0
