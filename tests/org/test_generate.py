"""`manage.py generate`: synthetic benchmark data, valid and unique, and never loaded twice."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from pakta.audit.models import AuditEvent
from pakta.org.models import Assignment, Official, Pemda, Position, Unit
from pakta.org.nip import parse_nip
from pakta.org.synthetic import counter_for_nip, nip_for_counter


def generate(**options: Any) -> str:
    out = io.StringIO()
    call_command("generate", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_generate_loads_pemda_units_and_officials_with_valid_unique_nips() -> None:
    events_before = AuditEvent.objects.count()

    output = generate(officials=2000, pemda=5, batch=700)

    assert "officials 2,000" in output
    pemda = Pemda.objects.filter(slug__startswith="sim-")
    assert pemda.count() == 5
    assert sorted(pemda.values_list("kind", flat=True)).count("provinsi") == 1
    assert all(code.startswith("9") for code in pemda.values_list("kemendagri_code", flat=True))
    for regency in pemda.exclude(kind="provinsi"):
        assert regency.parent is not None
        assert regency.kemendagri_code.startswith(regency.parent.kemendagri_code + ".")

    assert Unit.objects.filter(pemda__in=pemda).count() == 5 * 40
    assert Position.objects.filter(pemda__in=pemda).count() > 5 * 40
    sizes = list(pemda.annotate(n=Count("official")).order_by("n").values_list("n", flat=True))
    assert sum(sizes) == 2000
    assert sizes[0] != sizes[-1]  # skewed, not an even split

    nips = list(Official.objects.values_list("nip", flat=True))
    assert len(nips) == 2000
    assert len(set(nips)) == 2000
    for nip in nips:
        parse_nip(nip)  # raises if any part is wrong

    current = Assignment.objects.filter(end_date__isnull=True, kind="definitif")
    assert current.count() == 2000
    assert current.values("official").distinct().count() == 2000
    # Each official sits in a position of their own Pemda.
    assert not Assignment.objects.exclude(position__pemda=F("pemda")).exists()
    # Benchmark data bypasses the services: no audit events.
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db
def test_generate_refuses_to_run_twice_but_appends_on_request() -> None:
    generate(officials=300, pemda=2)

    with pytest.raises(CommandError, match="already exist"):
        generate(officials=300, pemda=2)
    assert Official.objects.count() == 300

    generate(officials=300, pemda=2, append=True)
    assert Pemda.objects.filter(slug__startswith="sim-").count() == 4
    nips = list(Official.objects.values_list("nip", flat=True))
    assert len(nips) == len(set(nips)) == 600


@pytest.mark.django_db
def test_generated_nips_avoid_nips_already_registered(official_a: Official) -> None:
    generate(officials=500, pemda=1)

    assert Official.objects.filter(nip=official_a.nip).count() == 1
    assert Official.objects.count() == 501


def test_nip_counter_round_trips() -> None:
    for counter in (0, 1, 998, 999, 4_299_999, 10_000_000):
        nip = nip_for_counter(counter, 25, 3, "2")
        parse_nip(nip)
        assert counter_for_nip(nip) == counter


@pytest.mark.django_db
def test_generate_one_large_pemda_with_sub_units() -> None:
    """The largest Pemda's shape, small: one Pemda, its OPD and sub-units under them."""
    output = generate(officials=600, pemda=1, units=130)
    assert "units 130" in output
    pemda = Pemda.objects.get(slug__startswith="sim-")
    units = Unit.objects.filter(pemda=pemda)
    assert units.count() == 130
    subs = units.filter(parent__isnull=False).select_related("parent")
    assert subs.count() == 90
    for unit in subs[:20]:
        assert unit.path == f"{unit.parent.path}{unit.pk}/" and unit.parent.parent_id is None
    assert Position.objects.filter(unit__in=subs, is_unit_head=True).count() == 90
    assert Official.objects.filter(pemda=pemda).count() == 600


@pytest.mark.django_db
def test_generate_a_full_year_for_the_largest_pemda_shape() -> None:
    """`--year`: pacts, agreements with realizations, action plans and reports for every official,
    visible on the Pemda's pages; a second run for the same year is refused."""
    from pakta.actionplans.models import ActionItem, ActionPlan
    from pakta.pacts.models import Pact
    from pakta.performance.models import PerformanceAgreement, Realization
    from pakta.reports.models import Report

    output = generate(officials=300, pemda=1, units=60, year=2026)
    assert "action plans 40" in output
    pemda = Pemda.objects.get(slug__startswith="sim-")
    assert Pact.objects.filter(pemda=pemda, year=2026).count() == 300
    assert PerformanceAgreement.objects.filter(pemda=pemda, year=2026).count() == 300
    assert Realization.objects.filter(pemda=pemda).count() > 300
    assert ActionPlan.objects.filter(pemda=pemda).count() == 40
    items = ActionItem.objects.filter(pemda=pemda)
    assert items.count() == 1000
    assert set(items.values_list("status", flat=True)) == {"open", "submitted", "returned", "done"}
    assert not items.filter(status="done", verified_at__isnull=True).exists()
    reports = Report.objects.filter(pemda=pemda)
    assert reports.count() == 20
    assert reports.filter(stage="closed").exists() and reports.exclude(stage="closed").exists()
    assert not AuditEvent.objects.exists()
    with pytest.raises(CommandError, match="already exist"):
        generate(year=2026, pacts_only=True)
