"""Statistics for the Pemda that never single out a report: small cells are suppressed."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from pakta.reports.models import Report
from pakta.reports.selectors import K_THRESHOLD, report_statistics
from tests.conftest import client_for
from tests.reports.conftest import submit


def cells(table: Any) -> dict[str, int | None]:
    return {cell.key: cell.count for cell in table.cells}


def test_small_counts_are_suppressed_with_a_second_cell(pemda_a: Any, handler_a: Any) -> None:
    for _ in range(6):
        submit(pemda_a, category=Report.Category.BRIBERY)
    for _ in range(7):
        submit(pemda_a, category=Report.Category.PROCUREMENT)
    submit(pemda_a, category=Report.Category.GRATIFICATION)
    by_category, by_stage, by_age = report_statistics(pemda=pemda_a)
    counts = cells(by_category)
    assert by_category.total == 14
    # One report of gratification is hidden; so are the empty categories.
    assert counts["gratification"] is None and counts["other"] is None
    assert counts["bribery"] == 6 and counts["procurement"] == 7
    assert cells(by_stage)["received"] == 14
    # Only one stage cell would be hidden in "by age" and "by stage" otherwise: a second
    # (the next smallest) hides with it, so no hidden cell is total minus the others.
    for table in (by_category, by_stage, by_age):
        hidden = [c for c in table.cells if c.count is None]
        assert len(hidden) != 1


def test_a_pemda_with_few_reports_shows_nothing_countable(pemda_a: Any, handler_a: Any) -> None:
    for _ in range(K_THRESHOLD - 1):
        submit(pemda_a)
    for table in report_statistics(pemda=pemda_a):
        assert table.total is None
        assert all(cell.count is None for cell in table.cells)


def test_the_page_for_the_pimpinan(pemda_a: Any, role_users: dict[str, Any]) -> None:
    for _ in range(5):
        submit(pemda_a, category=Report.Category.ABUSE_OF_AUTHORITY)
    submit(pemda_a, category=Report.Category.OTHER)
    page = client_for(role_users["pimpinan"]).get(
        reverse("reports:statistics", kwargs={"pemda": pemda_a.slug})
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Abuse of authority" in text and "&lt; 5" in text
    assert f'href="{reverse("reports:list", kwargs={"pemda": pemda_a.slug})}"' not in text
