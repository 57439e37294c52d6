"""A tutorial for a new contributor: how a rule becomes a service, its refusal test, its
permission entry and its page test. Read it top to bottom; every test here runs.

Pakta's shape (docs/architecture.md): a **service** makes every change (validate, save, audit
event, one transaction); a **selector** makes every read that depends on who asks; a **view** is
thin: it resolves the Pemda from the URL, checks one registered permission and calls the
service. So a feature is tested at three levels, shown below with a real rule of the `org` app:
*a unit's name is unique under its parent*.
"""

from __future__ import annotations

import pytest
from django.test import Client

from pakta.core.permissions import has_permission
from pakta.org import services
from pakta.org.models import Unit
from tests.conftest import client_for
from tests.factories import OfficialFactory, PemdaFactory, UnitFactory
from tests.kit import AuditWatch, assert_refused

pytestmark = pytest.mark.django_db


# 1. The service: call it as a view would, then assert what changed and which event says so.
def test_1_a_service_changes_one_thing_and_records_why(superadmin) -> None:
    pemda = PemdaFactory()  # factories create through the services, as a user would
    watch = AuditWatch()  # remembers the last audit event, to list the new ones

    unit = services.unit_create(pemda=pemda, name="Dinas Pangan", acting_user=superadmin)

    assert unit.name == "Dinas Pangan"
    assert watch.actions() == ["org.unit.created"]  # every change has its event


# 2. Its refusal: the sentence a user reads, and nothing left behind (no row, no event).
def test_2_a_refused_change_leaves_no_row_and_no_event(superadmin) -> None:
    existing = UnitFactory(name="Dinas Pangan")

    with assert_refused(Unit):
        services.unit_create(pemda=existing.pemda, name="Dinas Pangan", acting_user=superadmin)


# 3. Its permission: registered once in `<app>/permissions.py`; the permission-matrix test
#    (tests/core/test_permission_matrix.py) then checks every URL for every role by itself.
def test_3_who_may_do_it_is_one_registered_permission(role_users, pemda_a) -> None:
    assert has_permission(role_users["admin"], pemda_a, "org.manage")
    assert not has_permission(role_users["pegawai"], pemda_a, "org.manage")


# 4. Its page: what a user sees, in Indonesian by default. (Journeys in a real browser live in
#    tests/browser/ and each app's test_browser_*.py, against a live server.)
def test_4_the_page_shows_the_result_in_indonesian(admin_client_a: Client, pemda_a) -> None:
    OfficialFactory(pemda=pemda_a, name="Siti Rahmawati")

    page = admin_client_a.get(f"/p/{pemda_a.slug}/officials/?q=Siti")

    assert page.status_code == 200
    assert "Siti Rahmawati" in page.content.decode()
    assert "Pegawai" in page.content.decode()  # the menu, in Indonesian


def test_4b_another_pemda_cannot_even_learn_it_exists(pemda_a, other_pemda_admin) -> None:
    official = OfficialFactory(pemda=pemda_a)
    page = client_for(other_pemda_admin).get(f"/p/{pemda_a.slug}/officials/{official.pk}/")
    assert page.status_code == 404  # not 403: the slug and the id stay secret
