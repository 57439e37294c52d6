"""In-app notifications: the unread count in the top bar, the list, marking them read."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pakta.accounts.models import User
from pakta.notifications.models import Notification
from pakta.notifications.services import notify
from pakta.org.models import Pemda
from tests.conftest import client_for

LIST = "/notifications/"


def test_unread_count_list_and_opening_a_message(
    role_users: dict[str, User], pemda_a: Pemda
) -> None:
    user, other = role_users["pegawai"], role_users["upg"]
    first = notify(user=user, pemda=pemda_a, message="Pengingat: pakta 2026", url="/p/alfa/")
    notify(user=user, message="Buku pakta siap", url="https://evil.test/phish")
    notify(user=other, message="Pesan untuk orang lain")
    assert reverse("notifications:list") == LIST
    client = client_for(user)

    page = client.get(LIST)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="notifications-unread"' in html and ">2</span>" in html  # the top-bar badge
    assert "Pengingat: pakta 2026" in html and "Buku pakta siap" in html
    assert "Pesan untuk orang lain" not in html

    # Opening a message marks it read and follows its link inside the site.
    response = client.post(LIST, {"id": first.pk})
    assert response.status_code == 302 and response["Location"] == "/p/alfa/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert ">1</span>" in client.get(LIST).content.decode()

    # A link to another site is not followed; another user's message is not touched.
    phish = Notification.objects.get(user=user, read_at__isnull=True)
    response = client.post(LIST, {"id": phish.pk})
    assert response["Location"] == LIST
    foreign = Notification.objects.get(user=other)
    client.post(LIST, {"id": foreign.pk})
    foreign.refresh_from_db()
    assert foreign.read_at is None

    # Mark all as read: the badge disappears.
    notify(user=user, message="Satu lagi")
    client.post(LIST)
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert 'id="notifications-unread"' not in client.get(LIST).content.decode()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_notifications_need_a_login(db: None) -> None:
    response = Client().get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
