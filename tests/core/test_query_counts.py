"""The query count of every menu page (the lists with their default filters, the dashboards)
does not grow with the data: two generated Pemda of different sizes, each with a year of pacts,
agreements, realizations, action plans and reports, give the same count on every page, as the
same role. (A page that ran a query per row would differ by hundreds.)"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pakta.accounts.services import membership_grant, user_create
from pakta.org.models import Official, Pemda
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NAV = re.compile(r'<nav class="(?:mainnav|subnav)[^"]*"[^>]*>(.*?)</nav>', re.S)
SKIP = re.compile(r"logout|/i18n/|\.(?:xlsx|csv|pdf|zip|json)|/export|/download|/new/|/api/")
ROLES = ("admin", "inspektorat", "pimpinan")


def _links(html: str, prefix: str) -> list[str]:
    found: list[str] = []
    for href in re.findall(r'href="([^"#]+)"', " ".join(NAV.findall(html))):
        href = href.replace("&amp;", "&")
        if href.startswith(prefix) and not SKIP.search(href) and href not in found:
            found.append(href)
    return found


def _pages(client: Any, prefix: str) -> list[str]:
    pages = [prefix, *_links(client.get(prefix).content.decode(), prefix)]
    for url in list(pages):
        for sub in _links(client.get(url).content.decode(), prefix):
            if sub not in pages:
                pages.append(sub)
    return [page[len(prefix) :] for page in pages]


def _queries(client: Any, url: str) -> tuple[int, int]:
    client.get(url)  # warm: caches filled on a first visit are not the point here
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def test_every_menu_page_has_the_same_query_count_in_a_small_and_a_large_pemda() -> None:
    call_command("generate", officials=1200, pemda=5, year=2026, seed=7, stdout=io.StringIO())
    pemdas = sorted(
        Pemda.objects.filter(slug__startswith="sim-"),
        key=lambda p: Official.objects.filter(pemda=p).count(),
    )
    small, large = pemdas[0], pemdas[-1]
    n_small = Official.objects.filter(pemda=small).count()
    n_large = Official.objects.filter(pemda=large).count()
    assert n_large >= 2 * n_small, (n_small, n_large)
    root = user_create(
        username="qc-root", password=None, acting_user=None, is_superuser=True, validate=False
    )
    differences: list[str] = []
    checked = 0
    for role in ROLES:
        clients = {}
        for pemda in (small, large):
            user = user_create(
                username=f"qc-{role}-{pemda.pk}", password=None, acting_user=root, validate=False
            )
            membership_grant(user=user, pemda=pemda, role=role, acting_user=root)
            clients[pemda.pk] = client_for(user)
        pages = _pages(clients[small.pk], f"/p/{small.slug}/")
        assert len(pages) > 10, pages
        for page in pages:
            status_s, count_s = _queries(clients[small.pk], f"/p/{small.slug}/{page}")
            status_l, count_l = _queries(clients[large.pk], f"/p/{large.slug}/{page}")
            assert status_s == status_l == 200, (role, page, status_s, status_l)
            checked += 1
            if count_s != count_l:
                differences.append(
                    f"{role} /{page}: {count_s} queries ({n_small} officials), "
                    f"{count_l} ({n_large})"
                )
    assert checked > 40
    assert not differences, "\n".join(differences)
