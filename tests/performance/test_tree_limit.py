"""The cascade tree at a large Pemda: a page of TREE_PAGE indicators with Previous/Next, one OPD
at a time by default above TREE_WHOLE_AGREEMENTS agreements, the whole Pemda on request; in
Indonesian and English."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pakta.accounts.services import membership_grant, user_create
from pakta.org.models import Pemda, Unit
from pakta.performance import selectors, views
from pakta.performance.models import PerformanceAgreement
from pakta.performance.views import TREE_PAGE
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> tuple[object, Pemda]:
    call_command("generate", officials=150, pemda=1, year=2026, stdout=io.StringIO())
    pemda = Pemda.objects.get(slug__startswith="sim-")
    root = user_create(username="t-root", password=None, acting_user=None, is_superuser=True)
    admin = user_create(username="t-admin", password=None, acting_user=root, validate=False)
    membership_grant(user=admin, pemda=pemda, role="admin", acting_user=root)
    return client_for(admin), pemda


def test_the_tree_of_a_small_pemda_is_paged(admin_client: tuple[object, Pemda]) -> None:
    client, pemda = admin_client
    url = f"/p/{pemda.slug}/performance/tree/?year=2026"
    html = client.get(url).content.decode()  # type: ignore[attr-defined]
    # 150 agreements of 5 indicators: the whole Pemda, a page of 100 at a time.
    assert html.count("<li>") == TREE_PAGE
    assert "Indikator 1\u2013100 dari 750" in html
    assert "Halaman 1 dari 8" in html
    assert "satu OPD sekaligus" not in html
    assert 'value="all" selected' in html
    client.cookies["django_language"] = "en"  # type: ignore[attr-defined]
    html = client.get(f"{url}&unit=all&page=8").content.decode()  # type: ignore[attr-defined]
    assert "Indicators 701\u2013750 of 750" in html
    assert "Page 8 of 8" in html
    assert html.count("<li>") == 50
    assert "page=7" in html and "Next" not in html


def test_a_large_pemda_opens_on_one_opd(
    admin_client: tuple[object, Pemda], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, pemda = admin_client
    # The same behaviour as at 60,000 officials, with the threshold lowered under 150 agreements.
    monkeypatch.setattr(views, "TREE_WHOLE_AGREEMENTS", 100)
    url = f"/p/{pemda.slug}/performance/tree/?year=2026"
    opds = list(Unit.objects.filter(pemda=pemda, parent__isnull=True).order_by("path"))
    html = client.get(url).content.decode()  # type: ignore[attr-defined]
    first = opds[0]
    assert f'value="{first.pk}" selected' in html
    assert "ditampilkan satu OPD sekaligus" in html
    assert 0 < html.count("<li>") <= TREE_PAGE
    other = next(u for u in opds[1:] if u.positions.filter(assignments__isnull=False).exists())
    html = client.get(f"{url}&unit={other.pk}").content.decode()  # type: ignore[attr-defined]
    assert f'value="{other.pk}" selected' in html
    assert 0 < html.count("<li>") <= TREE_PAGE
    html = client.get(f"{url}&unit=all").content.decode()  # type: ignore[attr-defined]
    assert 'value="all" selected' in html
    assert "Indikator 1\u2013100 dari 750" in html


def _flat(roots: list[selectors.TreeNode]) -> list[int]:
    found: list[int] = []

    def walk(node: selectors.TreeNode) -> None:
        found.append(node.indicator.pk)
        for child in node.children:
            walk(child)

    for root in roots:
        walk(root)
    return found


@pytest.mark.parametrize("per_page", [7, TREE_PAGE])
@pytest.mark.parametrize("one_opd", [True, False])
def test_the_trees_pages_follow_the_tree_order(
    admin_client: tuple[object, Pemda], per_page: int, one_opd: bool
) -> None:
    """One OPD's pages are read agreement by agreement (``core.paging.block_key_page``), the
    whole Pemda's by sorting keys: every page holds exactly the indicators of the one tree order
    at its place, also when a page starts or ends inside an agreement (7 is not a multiple of 5
    indicators)."""
    _client, pemda = admin_client
    opd = max(
        Unit.objects.filter(pemda=pemda, parent__isnull=True),
        key=lambda u: PerformanceAgreement.objects.filter(unit=u, year=2026).count(),
    )
    unit = opd if one_opd else None
    indicators = selectors.cascade_tree_indicators(pemda=pemda, year=2026, unit=unit, scope=None)
    expected = list(indicators.order_by(*selectors.TREE_ORDER).values_list("pk", flat=True))
    assert len(expected) >= 20
    seen = []
    number = 1
    while True:
        page = selectors.cascade_tree_page(
            pemda=pemda, year=2026, unit=unit, scope=None, per_page=per_page, number=number
        )
        assert page.paginator.count == len(expected)
        start = (number - 1) * per_page
        # In tree order on the page, and the page's forest holds exactly those indicators.
        assert [i.pk for i in page.object_list] == expected[start : start + per_page], number
        roots = selectors.cascade_tree(
            pemda=pemda, year=2026, unit=unit, indicators=list(page.object_list)
        )
        assert sorted(_flat(roots)) == sorted(expected[start : start + per_page])
        seen.extend(i.pk for i in page.object_list)
        if not page.has_next():
            break
        number += 1
    assert seen == expected
