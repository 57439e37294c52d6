"""`manage.py generate --pacts YEAR`: a year of synthetic pacts whose counters agree with them,
and the national compliance page that reads those counters."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.org.models import Assignment, Pemda
from pakta.pacts.models import ComplianceCount, Pact
from tests.conftest import client_for


def generate(**options: Any) -> str:
    out = io.StringIO()
    call_command("generate", stdout=out, **options)
    return out.getvalue()


def counted_from_pacts(year: int) -> dict[tuple[int, int | None], dict[str, int]]:
    """Signed / pending / excused per (Pemda, unit), counted from the pact rows themselves."""
    numbers: dict[tuple[int, int | None], dict[str, int]] = {}
    for row in (
        Pact.objects.filter(year=year)
        .values("pemda_id", "unit_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (row["pemda_id"], row["unit_id"])
        numbers.setdefault(key, {"signed": 0, "pending": 0, "excused": 0})[row["status"]] = row["n"]
    return numbers


def counters(year: int) -> dict[tuple[int, int | None], dict[str, int]]:
    return {
        (c.pemda_id, c.unit_id): {"signed": c.signed, "pending": c.pending, "excused": c.excused}
        for c in ComplianceCount.objects.filter(year=year)
    }


@pytest.mark.django_db
def test_generated_pacts_have_counters_that_agree_with_the_pact_rows() -> None:
    events_before = AuditEvent.objects.count()

    output = generate(officials=1500, pemda=4, batch=400, pacts=2026)

    assert "pacts 1,500" in output
    # One pact per official with a current definitive assignment, in that official's Pemda.
    officials = Assignment.objects.filter(end_date__isnull=True, kind="definitif")
    assert Pact.objects.filter(year=2026).count() == officials.count() == 1500
    assert Pact.objects.filter(year=2026).values("official").distinct().count() == 1500
    assert not Pact.objects.exclude(official__pemda=F("pemda")).exists()
    # A real mix, with what each status implies.
    statuses = dict(
        Pact.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    assert set(statuses) == {"signed", "pending", "excused"}
    assert not Pact.objects.filter(status="excused", excused_reason="").exists()
    assert not Pact.objects.filter(status="signed", signed_at__isnull=True).exists()
    assert not Pact.objects.exclude(status="signed").filter(signed_at__isnull=False).exists()
    # Each pact counts for its position's OPD (generated units are all top-level).
    assert not Pact.objects.exclude(unit=F("position__unit")).exists()

    # The counters the dashboards read are exactly the numbers of the pact rows.
    from_pacts = counted_from_pacts(2026)
    assert counters(2026) == from_pacts
    assert sum(n["signed"] for n in from_pacts.values()) == statuses["signed"]
    # Benchmark data bypasses the services: no audit events.
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db
def test_pacts_only_adds_a_year_and_refuses_the_same_year_twice() -> None:
    generate(officials=300, pemda=2)

    generate(pacts=2025, pacts_only=True)
    with pytest.raises(CommandError, match="already exist"):
        generate(pacts=2025, pacts_only=True)
    generate(pacts=2026, pacts_only=True)

    assert Pact.objects.filter(year=2025).count() == Pact.objects.filter(year=2026).count() == 300
    assert counters(2025) == counted_from_pacts(2025)
    assert counters(2026) == counted_from_pacts(2026)
    with pytest.raises(CommandError, match="needs --pacts"):
        generate(pacts_only=True)


def page_numbers(html: str) -> dict[int, tuple[int, int, int]]:
    rows = re.findall(
        r'<tr data-pemda="(\d+)">.*?<td class="signed">(\d+)</td>'
        r'<td class="pending">(\d+)</td><td class="excused">(\d+)</td>',
        html,
    )
    return {int(p): (int(s), int(n), int(e)) for p, s, n, e in rows}


@pytest.mark.django_db
def test_national_page_shows_each_pemdas_figures_to_the_superadmin_only(
    superadmin: User, role_users: dict[str, User]
) -> None:
    generate(officials=800, pemda=3, pacts=2026)

    response = client_for(superadmin).get("/nasional/pakta/2026/")

    assert response.status_code == 200
    shown = page_numbers(response.content.decode())
    expected: dict[int, tuple[int, int, int]] = {}
    for (pemda_id, _unit), n in counted_from_pacts(2026).items():
        s, p, e = expected.get(pemda_id, (0, 0, 0))
        expected[pemda_id] = (s + n["signed"], p + n["pending"], e + n["excused"])
    assert shown == expected
    assert len(shown) == 3
    generated = Pemda.objects.filter(slug__startswith="sim-").first()
    assert generated is not None
    assert f'href="/p/{generated.slug}/pacts/compliance/?year=2026"' in response.content.decode()

    # A year without pacts lists no Pemda; a Pemda administrator is refused.
    empty = client_for(superadmin).get("/nasional/pakta/2020/")
    assert empty.status_code == 200
    assert page_numbers(empty.content.decode()) == {}
    assert client_for(role_users["admin"]).get("/nasional/pakta/2026/").status_code == 403
