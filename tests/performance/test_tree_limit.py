"""The cascade tree at a large Pemda: at most TREE_LIMIT indicators with a notice, one OPD's
whole tree on request; in Indonesian and English."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pakta.accounts.services import membership_grant, user_create
from pakta.org.models import Pemda, Unit
from pakta.performance.views import TREE_LIMIT
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_tree_of_a_large_pemda_is_bounded_and_filtered_by_opd() -> None:
    call_command("generate", officials=150, pemda=1, year=2026, stdout=io.StringIO())
    pemda = Pemda.objects.get(slug__startswith="sim-")
    root = user_create(username="t-root", password=None, acting_user=None, is_superuser=True)
    admin = user_create(username="t-admin", password=None, acting_user=root, validate=False)
    membership_grant(user=admin, pemda=pemda, role="admin", acting_user=root)
    client = client_for(admin)
    url = f"/p/{pemda.slug}/performance/tree/?year=2026"
    html = client.get(url).content.decode()
    assert html.count("<li>") == TREE_LIMIT
    assert f"Menampilkan {TREE_LIMIT} pertama dari 750 indikator" in html
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert f"Showing the first {TREE_LIMIT} of 750 indicators" in html
    opd = (
        Unit.objects.filter(pemda=pemda, parent__isnull=True, positions__assignments__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    html = client.get(f"{url}&unit={opd.pk}").content.decode()
    assert "Showing the first" not in html
    assert f'value="{opd.pk}" selected' in html
    assert 0 < html.count("<li>") < TREE_LIMIT
