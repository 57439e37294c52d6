"""One clock: every time about a WITA Pemda is shown in WITA, in one format ("20.57 WITA"), on
every surface: its pages (even those outside /p/<pemda>/), /v/, the upload check, its PDFs."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pakta.accounts.models import User
from pakta.core.documents import document_read
from pakta.core.zone import forget_zones
from pakta.notifications.services import notify
from pakta.org.models import Pemda
from pakta.pacts.models import Pact
from tests.conftest import client_for
from tests.portal.test_verification import page_text, upload

pytestmark = pytest.mark.django_db

WITA_TIME = re.compile(r"\d{1,2} \w+ \d{4} (\d{2})\.(\d{2}) WITA")


@pytest.fixture(autouse=True)
def wita(pemda_a: Pemda) -> None:
    pemda_a.timezone = "Asia/Makassar"
    pemda_a.save(update_fields=["timezone"])
    forget_zones()


def wita_hour(moment: timezone.datetime) -> str:
    local = moment.astimezone(timezone.get_fixed_timezone(8 * 60))
    return f"{local.hour:02d}.{local.minute:02d} WITA"


def test_the_verification_page_and_the_event_board_show_wita(
    signed_pact: Pact, admin_client_a: Client
) -> None:
    document = signed_pact.document
    assert document is not None
    signed_at = document.signatures.get(role="signer").signed_at
    text = page_text(Client().get(f"/v/{document.token}"))
    assert wita_hour(signed_at) in text and ":" not in WITA_TIME.search(text).group(0)  # type: ignore[union-attr]

    assert signed_pact.event is not None
    board = admin_client_a.get(
        reverse("pacts:event_board", kwargs={"pemda": "alfa", "pk": signed_pact.event_id})
    )
    assert WITA_TIME.search(page_text(board)), page_text(board)


def test_a_notification_of_a_wita_pemda_shows_wita_outside_its_pages(
    pemda_a: Pemda, role_users: dict[str, User]
) -> None:
    user = role_users["admin"]
    made = notify(user=user, pemda=pemda_a, message="Buku pakta siap.")
    text = page_text(client_for(user).get(reverse("notifications:list")))
    assert wita_hour(made.created_at) in text


def test_the_upload_check_names_the_zone_of_an_unknown_file(signed_pact: Pact) -> None:
    document = signed_pact.document
    assert document is not None
    changed = document_read(document.pdf) + b"\n% appended\n"  # type: ignore[arg-type]
    text = page_text(upload(Client(), changed))
    # Not a version we issued, so no Pemda: the server's zone, named, in the same format.
    assert re.search(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB", text), text
