"""Pacts in "Tugas saya" and "Tanda tangan saya": offered only while they can be signed, and
announced to the official when the event opens."""

from __future__ import annotations

from django.utils import translation

from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.notifications.models import Notification
from pakta.org.models import Official, Pemda
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from tests.conftest import client_for
from tests.pacts.event_world import EVENT_DATE
from tests.signing.conftest import user_for


def page(client, url: str) -> str:
    with translation.override("id"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    return response.content.decode()


def test_a_pact_is_offered_only_while_its_event_is_open(
    pemda_a: Pemda, official_a: Official, superadmin
) -> None:
    # The official's own assignment pact is signed first, so only the event's pact is left.
    user = user_for(official_a)
    membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=None)
    Pact.objects.filter(official=official_a).update(status=Pact.Status.EXCUSED)
    client = client_for(user)
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Penandatanganan Pakta Integritas 2026",
        occasion="Apel pagi",
        date=EVENT_DATE,
        place="Aula Krakatau",
        template=pacts.template_current(pemda_a, superadmin),
    )
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )
    sign_url = f"/p/{pemda_a.slug}/inbox/{pact.pk}/"
    home_url, inbox_url = f"/p/{pemda_a.slug}/", f"/p/{pemda_a.slug}/inbox/"
    # Being prepared: neither on Beranda nor in "Tanda tangan saya", and nobody was told.
    assert sign_url not in page(client, home_url)
    assert sign_url not in page(client, inbox_url)
    assert not Notification.objects.filter(user=user).exists()

    pacts.event_open(event=event, acting_user=superadmin)
    note = Notification.objects.get(user=user)
    assert note.message == "Pakta Integritas 2026 Anda menunggu tanda tangan Anda"
    assert note.url == inbox_url
    home = page(client, home_url)
    assert "Tandatangani Pakta Integritas 2026 Anda" in home and sign_url in home
    assert "Baca dan tandatangani" in page(client, inbox_url)

    pacts.event_close(event=event, acting_user=superadmin)
    assert sign_url not in page(client, home_url)
    inbox = page(client, inbox_url)
    assert sign_url not in inbox and "Tidak ada dokumen yang menunggu tanda tangan Anda." in inbox
