"""'Tugas saya': what waits for the official and for the superior appears on Beranda, in their
inbox ("Tanda tangan saya") and as a notification when it appears."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pakta.core.roles import Role
from pakta.core.todo import todo_list_for
from pakta.notifications.models import Notification
from pakta.performance import services as perf
from tests.conftest import PASSWORD
from tests.performance.conftest import YEAR, People, fill
from tests.performance.test_services import EVIDENCE
from tests.performance.test_views import member
from tests.signing.conftest import user_for


def home(client, people: People) -> str:
    with translation.override("id"):
        response = client.get(f"/p/{people.kadis.pemda.slug}/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    return response.content.decode()


def test_each_step_of_the_agreement_waits_on_the_home_page_and_is_announced(
    people: People,
) -> None:
    kadis, bupati = member(people.kadis), member(people.bupati, Role.PIMPINAN)
    kadis_user, bupati_user = user_for(people.kadis), user_for(people.bupati)
    # Each has the pact of their position to sign (made when the assignment started).
    assert "Tugas saya" in home(kadis, people)
    assert "Tandatangani Pakta Integritas 2021 Anda" in home(bupati, people)
    assert "Perjanjian Kinerja" not in home(bupati, people).split("Tugas saya")[1]

    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=kadis_user
    )
    indicator = fill(agreement, kadis_user)[0]
    perf.agreement_submit(agreement=agreement, acting_user=kadis_user)
    # The Bupati is told at once, in Indonesian, and Beranda links to the agreement.
    note = Notification.objects.get(user=bupati_user)
    assert note.message == (
        f"Perjanjian Kinerja {YEAR} milik {people.kadis.full_name} menunggu tinjauan Anda"
    )
    assert note.url == agreement.get_absolute_url()
    # Read in the reader's language: Indonesian by default, English after the switch.
    inbox_id = bupati.get("/notifications/").content.decode()
    assert note.message in inbox_id
    bupati.cookies["django_language"] = "en"
    inbox_en = bupati.get("/notifications/").content.decode()
    assert (
        f"The Perjanjian Kinerja {YEAR} of {people.kadis.full_name} waits for your review"
        in inbox_en
    )
    del bupati.cookies["django_language"]
    page = home(bupati, people)
    assert f"Tinjau Perjanjian Kinerja {YEAR} milik {people.kadis.full_name}" in page
    assert f'href="{agreement.get_absolute_url()}"' in page

    perf.agreement_approve(agreement=agreement, acting_user=bupati_user)
    assert Notification.objects.filter(user=kadis_user).count() == 1
    assert f"Tandatangani Perjanjian Kinerja {YEAR} Anda" in home(kadis, people)
    # "Tanda tangan saya" lists the agreement waiting for the signature.
    inbox = kadis.get(f"/p/{people.kadis.pemda.slug}/inbox/").content.decode()
    assert "Perjanjian Kinerja yang menunggu tanda tangan saya" in inbox
    assert agreement.get_absolute_url() in inbox

    perf.agreement_sign_first_party(
        agreement=agreement, acting_user=kadis_user, credential=PASSWORD
    )
    assert f"Tandatangani Perjanjian Kinerja {YEAR} Anda" not in home(kadis, people)
    assert f"Tandatangani sebagai pihak kedua Perjanjian Kinerja {YEAR}" in home(bupati, people)
    inbox = bupati.get(f"/p/{people.kadis.pemda.slug}/inbox/").content.decode()
    assert "Baca dan tandatangani sebagai pihak kedua" in inbox
    assert agreement.get_absolute_url() in inbox

    perf.agreement_sign_second_party(
        agreement=agreement, acting_user=bupati_user, credential=PASSWORD
    )
    assert f"Perjanjian Kinerja {YEAR} milik" not in home(bupati, people)

    # A realization: the superior verifies; returned, the official corrects.
    import time_machine

    with time_machine.travel("2026-04-05 10:00 +0700"):
        realization = perf.realization_submit(
            indicator=indicator, quarter=1, value="21", acting_user=kadis_user, evidence=EVIDENCE
        )
    assert "Verifikasi realisasi TW I" in home(bupati, people)
    assert Notification.objects.filter(user=bupati_user).count() == 3
    perf.realization_return(realization=realization, reason="Bukti kurang", acting_user=bupati_user)
    assert "Perbaiki realisasi TW I" in home(kadis, people)
    assert "Verifikasi realisasi TW I" not in home(bupati, people)


def test_the_todo_list_costs_a_bounded_number_of_queries(people: People) -> None:
    bupati_user = user_for(people.bupati)
    from pakta.accounts.services import membership_grant

    membership_grant(
        user=bupati_user, pemda=people.kadis.pemda, role=Role.PIMPINAN, acting_user=None
    )
    kadis_user = user_for(people.kadis)
    agreement = perf.agreement_create(
        pemda=people.kadis.pemda, official=people.kadis, year=YEAR, acting_user=kadis_user
    )
    fill(agreement, kadis_user)
    perf.agreement_submit(agreement=agreement, acting_user=kadis_user)
    with CaptureQueriesContext(connection) as one:
        first = todo_list_for(user=bupati_user, pemda=people.kadis.pemda)
    assert [t.kind for t in first] == ["pacts.sign", "performance.review"]
    # A bounded number per registered provider (every app adds one), whatever the data.
    from pakta.core.todo import PROVIDERS

    assert len(one.captured_queries) <= 2 * len(PROVIDERS) + 4
