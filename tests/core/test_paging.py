"""Pages read by blocks (``core.paging.block_key_page``) are the pages of the whole ordering: the
agreement register of a generated Pemda, with an agreement without a unit and two units whose
paths tie, page by page against the plain sorted list, and the register's page 2 as users see it;
the same for the pact list (ordered by the unit's name)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from pakta.accounts.services import membership_grant, user_create
from pakta.core.paging import block_key_page, key_page
from pakta.org.models import Pemda, Unit
from pakta.pacts import selectors as pact_selectors
from pakta.pacts.models import Pact
from pakta.performance import selectors
from pakta.performance.models import PerformanceAgreement
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def pemda() -> Pemda:
    call_command(
        "generate", officials=240, pemda=1, units=200, year=YEAR, seed=11, stdout=io.StringIO()
    )
    pemda = Pemda.objects.get(slug__startswith="sim-")
    agreements = PerformanceAgreement.objects.filter(pemda=pemda, year=YEAR, is_current=True)
    units = list(Unit.objects.filter(pk__in=agreements.values("unit")).order_by("path"))
    assert len(units) >= 4
    # An agreement whose unit is gone from it, and two units of one path: edge cases of blocks.
    agreements.filter(pk=agreements.filter(unit=units[-1]).values("pk")[:1]).update(unit=None)
    Unit.objects.filter(pk=units[2].pk).update(path=units[1].path)
    pacts = Pact.objects.filter(pemda=pemda)
    pact_units = list(Unit.objects.filter(pk__in=pacts.values("unit")).order_by("name"))
    pacts.filter(pk=pacts.filter(unit=pact_units[-1]).values("pk")[:1]).update(unit=None)
    # OPD names are unique: a sub-unit named like an OPD, holding a few pacts of another OPD.
    namesake = Unit.objects.filter(pemda=pemda, parent__isnull=False).exclude(
        pk__in=[u.pk for u in pact_units]
    )[0]
    Unit.objects.filter(pk=namesake.pk).update(name=pact_units[1].name)
    pacts.filter(pk__in=pacts.filter(unit=pact_units[2]).values("pk")[:5]).update(unit=namesake)
    return pemda


@pytest.mark.parametrize("register", ["agreements", "pacts"])
def test_every_page_read_by_blocks_is_the_page_of_the_whole_ordering(
    pemda: Pemda, register: str
) -> None:
    if register == "agreements":
        qs = selectors.agreement_list_for(pemda=pemda, year=YEAR)
        order = "path"
    else:
        qs = pact_selectors.pact_list_for(pemda=pemda)
        order = "name"
    everything = list(qs.values_list("pk", flat=True))
    assert qs.filter(unit__isnull=True).exists()
    for per_page in (7, 50):
        pages = -(-len(everything) // per_page)
        for number in range(1, pages + 1):
            page = block_key_page(qs, per_page, number, block="unit", order=order)
            shown = [a.pk for a in page.object_list]
            start = (number - 1) * per_page
            assert shown == everything[start : start + per_page], (per_page, number)
            assert page.paginator.count == len(everything)
            assert shown == [a.pk for a in key_page(qs, per_page, number).object_list]
    # Filtered to nothing: an empty first page, as before.
    empty = block_key_page(qs.filter(pk=0), 50, 1, block="unit", order=order)
    assert list(empty.object_list) == [] and empty.paginator.count == 0


@pytest.mark.parametrize("register", ["agreements", "pacts"])
def test_the_second_page_lists_the_officials_after_the_first_fifty(
    pemda: Pemda, superadmin, register: str
) -> None:
    admin = user_create(username="paging-admin", password=None, acting_user=superadmin)
    membership_grant(user=admin, pemda=pemda, role="admin", acting_user=superadmin)
    client = client_for(admin)
    if register == "agreements":
        qs = selectors.agreement_list_for(pemda=pemda, year=YEAR)
        url = f"/p/{pemda.slug}/performance/agreements/?year={YEAR}&page=2"
    else:
        qs = pact_selectors.pact_list_for(pemda=pemda)
        url = f"/p/{pemda.slug}/pacts/?page=2"
    expected = list(qs.values_list("official__nip", flat=True))
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    shown = [nip for nip in expected if nip in body]
    assert shown == expected[50:100]
    assert [body.index(nip) for nip in shown] == sorted(body.index(nip) for nip in shown)
