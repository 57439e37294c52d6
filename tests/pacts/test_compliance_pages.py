"""A Pemda's compliance page: the figures from the counters at once, who has not signed after."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from pakta.accounts.models import User
from pakta.core.roles import Role
from pakta.org.models import Pemda, Unit
from pakta.pacts.models import ComplianceCount, Pact
from pakta.pacts.services import pact_excuse
from tests.conftest import client_for, make_user


@pytest.fixture
def generated(db: None) -> Pemda:
    """One generated Pemda (a province) with 300 officials and their pacts for 2026."""
    call_command("generate", officials=300, pemda=1, pacts=2026, stdout=io.StringIO())
    return Pemda.objects.get(slug__startswith="sim-")


def unit_rows(page: str) -> list[tuple[str, int, int, int]]:
    table = page.split('<table id="per-unit">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", table)
    return sorted((name, int(s), int(p), int(e)) for name, s, p, e in rows)


@pytest.mark.django_db
def test_compliance_page_shows_the_counters_and_loads_the_unsigned_list_after(
    generated: Pemda, superadmin: User
) -> None:
    # One more excused through the service, as an administrator would: the counters follow.
    first_pending = Pact.objects.filter(pemda=generated, status="pending").order_by("pk").first()
    assert first_pending is not None
    excused = pact_excuse(pact=first_pending, reason="Tugas belajar", acting_user=superadmin)
    client = client_for(superadmin)
    url = f"/p/{generated.slug}/pacts/compliance/?year=2026"

    page = client.get(url).content.decode()

    expected = sorted(
        (c.unit.name, c.signed, c.pending, c.excused)  # type: ignore[union-attr]
        for c in ComplianceCount.objects.filter(pemda=generated, year=2026).select_related("unit")
    )
    assert unit_rows(page) == expected
    pending = Pact.objects.filter(pemda=generated, year=2026, status="pending")
    card = page.split('id="compliance-totals">', 1)[1].split("</p>", 1)[0]
    shown = [int(n) for n in re.findall(r"\d+", card)]
    statuses = Pact.objects.filter(pemda=generated, year=2026)
    assert shown == [statuses.filter(status=s).count() for s in ("signed", "pending", "excused")]
    # The names come in a second request (HTMX), with a plain link for browsers without it.
    fragment_url = f"/p/{generated.slug}/pacts/compliance/unsigned/?year=2026"
    assert f'hx-get="{fragment_url}"' in page
    assert f'<a href="{fragment_url}">' in page
    some_pending = pending.select_related("official").first()
    assert some_pending is not None
    assert some_pending.official.nip not in page

    fragment = client.get(fragment_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert f"NIP {some_pending.official.nip}" in fragment
    assert excused.official.nip in fragment and "Tugas belajar" in fragment
    signed = Pact.objects.filter(pemda=generated, year=2026, status="signed").first()
    assert signed is not None
    assert signed.official.nip not in fragment

    full = client.get(fragment_url).content.decode()
    assert "<html" in full
    assert f"NIP {some_pending.official.nip}" in full


@pytest.mark.django_db
def test_unsigned_list_is_limited_to_a_kepala_opds_own_unit(
    generated: Pemda, superadmin: User
) -> None:
    unit = (
        Unit.objects.filter(
            pemda=generated, pk__in=Pact.objects.exclude(status="signed").values("unit")
        )
        .order_by("pk")
        .first()
    )
    assert unit is not None
    head = make_user("kepala-sim", generated, Role.KEPALA_OPD, unit=unit, granter=superadmin)

    fragment = client_for(head).get(
        f"/p/{generated.slug}/pacts/compliance/unsigned/?year=2026", HTTP_HX_REQUEST="true"
    )

    assert fragment.status_code == 200
    text = fragment.content.decode()
    for pact in Pact.objects.filter(pemda=generated, year=2026).exclude(status="signed")[:200]:
        assert (f"NIP {pact.official.nip}" in text) == (pact.unit_id == unit.pk)
