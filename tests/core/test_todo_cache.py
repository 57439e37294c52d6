"""Beranda keeps "Tugas saya" between visits (one cache read instead of a query per app), and
reads it again at once after an audited change in the Pemda or any form the user sends."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact
from tests.conftest import client_for
from tests.pacts.event_world import EVENT_DATE
from tests.signing.conftest import user_for

pytestmark = pytest.mark.django_db


def _home(client: Any, pemda: Pemda) -> tuple[str, int]:
    with translation.override("id"), CaptureQueriesContext(connection) as queries:
        response = client.get(f"/p/{pemda.slug}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _tasks(html: str) -> str:
    return html[html.index('<section class="card todo"') : html.index("</section>")]


def test_beranda_keeps_my_tasks_until_the_pemda_or_i_change_something(
    pemda_a: Pemda, official_a: Official, superadmin: Any
) -> None:
    user = user_for(official_a)
    membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=None)
    Pact.objects.filter(official=official_a).update(status=Pact.Status.EXCUSED)
    client = client_for(user)
    first, computed = _home(client, pemda_a)
    assert "Tidak ada yang menunggu Anda." in first
    again, kept = _home(client, pemda_a)
    assert _tasks(again) == _tasks(first)
    assert kept < computed - 5, (kept, computed)  # no query per app

    # Someone else opens an event that invites the official: the task shows at once.
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
    pacts.event_open(event=event, acting_user=superadmin)
    sign_url = f"/p/{pemda_a.slug}/inbox/{pact.pk}/"
    home, _ = _home(client, pemda_a)
    assert "Tandatangani Pakta Integritas 2026 Anda" in home and sign_url in home
    assert _home(client, pemda_a)[1] == kept

    # Any audited change in the Pemda, even one that leaves the list as it was, reads it again.
    org.unit_create(pemda=pemda_a, name="Dinas Baru", acting_user=superadmin)
    read_again = _home(client, pemda_a)[1]
    assert read_again > kept + 5, (read_again, kept)

    # A form the user sends (here: the language switch) reads it again too.
    client.post("/i18n/setlang/", {"language": "id", "next": f"/p/{pemda_a.slug}/"})
    assert _home(client, pemda_a)[1] > kept + 5
    assert _home(client, pemda_a)[1] == kept

    # Closed: no longer offered, at once.
    pacts.event_close(event=event, acting_user=superadmin)
    assert sign_url not in _home(client, pemda_a)[0]


def test_without_a_time_to_live_nothing_is_kept(
    pemda_a: Pemda, official_a: Official, settings: Any
) -> None:
    settings.PAKTA_TODO_CACHE_SECONDS = 0
    user = user_for(official_a)
    membership_grant(user=user, pemda=pemda_a, role=Role.PEGAWAI, acting_user=None)
    client = client_for(user)
    _home(client, pemda_a)
    assert _home(client, pemda_a)[1] == _home(client, pemda_a)[1] > 10
