#!/usr/bin/env python
"""Every menu page at the size of the largest Pemda, as every role, against a trivial page.

    uv run python bench/pages.py                       # one Pemda of 60,000 officials
    uv run python bench/pages.py --officials 300000    # larger
    uv run python bench/pages.py --no-exports          # the pages only (no RESULT for exports)

Set-up (not timed): ``manage.py generate`` makes one Pemda of ``--officials`` officials in
``--units`` units with a pact for every official for the year, and one account per role (admin,
inspektorat, UPG, pimpinan, kepala OPD of the largest OPD, pegawai). Then, for each role, the
Pemda's home page is fetched and every link of its menu and of each menu page's sub-menu that
stays inside the Pemda is requested through the Django test client (the whole middleware stack,
logged in), best of ``--repeat``, with its size and query count. The baseline is a trivial
authenticated page through the same middleware (``/accounts/api-token/``), measured in the same
run as each role (best of five); the median over the roles is the baseline. Targets (issue 12): every page within 20x the trivial page and under 300 KB of HTML.

Exports: every XLSX or CSV link on those pages (and on the Pemda's national pages they lead
to) is downloaded once as the first role that sees it, read to the end (streamed or not), its data
rows counted, and its time per 10,000 rows compared with the trivial page:
``seconds x 10,000 / max(rows, 10,000)`` (an export of fewer rows counts its whole time).
Target 40x, and every export of 10,000 rows or more must be streamed.

Ends with ``RESULT bench=pages_<db> ratio=<slowest page / trivial> target=20 ok=<...>``
(``ok`` also needs every page under 300 KB and no error status) and
``RESULT bench=exports_<db> ratio=<slowest export per 10,000 rows / trivial> target=40 ok=<...>``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import Any

from _harness import Databases, add_engine_arguments, django_child, result, run_engines

TARGET = 20.0
EXPORT_TARGET = 40.0
EXPORT = re.compile(r"\.(?:xlsx|csv)(?:\?|$)")
MAX_BYTES = 300 * 1024
YEAR = 2026
ROLES = ("admin", "inspektorat", "upg", "pimpinan", "kepala_opd", "pegawai")
SKIP = re.compile(r"logout|/i18n/|\.(?:xlsx|csv|pdf|zip|json)$|/export|/download|/new/|/api/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officials", type=int, default=60_000)
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--rows", type=int, help="scripts/bench.sh size: officials = 3 x rows")
    parser.add_argument(
        "--no-exports",
        action="store_true",
        help="pages only: skip downloading the exports (minutes at 60,000 officials)",
    )
    parser.add_argument(
        "--exports-only",
        action="store_true",
        help="crawl the pages once to find the exports, time only the exports (one RESULT line)",
    )
    add_engine_arguments(parser, repeat=2)
    args = parser.parse_args()
    if args.child:
        officials = args.rows * 3 if args.rows else args.officials
        with django_child("pages"):
            databases = Databases(args.child, "pages")
            try:
                return measure(
                    databases,
                    args.child,
                    officials,
                    args.units,
                    args.repeat,
                    exports_too=not args.no_exports,
                    exports_only=args.exports_only,
                )
            finally:
                databases.cleanup()
    return run_engines(__file__, args.backend)


def _setup(officials: int, units: int) -> None:
    from django.core.management import call_command

    call_command(
        "generate",
        officials=officials,
        pemda=1,
        units=units,
        year=YEAR,
        stdout=sys.stderr,
    )
    call_command("createcachetable", verbosity=0)
    from django.db import connection

    if connection.vendor == "postgresql":
        # After a bulk load, as the PostgreSQL manual says ("Populating a Database": run ANALYZE
        # afterwards): fresh statistics, and no autovacuum of the new rows running during the
        # measurement (it made one role's trivial page 13 ms instead of 6-9 ms, and its pages
        # 30 % slower, in the same run).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _accounts() -> tuple[Any, dict[str, Any]]:
    from django.db.models import Count

    from pakta.accounts.services import membership_grant, user_create
    from pakta.org.models import Assignment, Official, Pemda, Unit

    pemda = Pemda.objects.order_by("pk").first()
    root = user_create(
        username="bench-root", password=None, acting_user=None, is_superuser=True, validate=False
    )
    biggest = (
        Unit.objects.filter(pemda=pemda, parent__isnull=True)
        .annotate(n=Count("positions"))
        .order_by("-n")
        .first()
    )
    holders = list(
        Assignment.objects.filter(pemda=pemda, end_date__isnull=True)
        .order_by("pk")
        .values_list("official_id", flat=True)[: len(ROLES)]
    )
    users: dict[str, Any] = {}
    # The Kepala OPD heads the largest OPD: an official of that OPD's subtree.
    holders[ROLES.index("kepala_opd")] = (
        Assignment.objects.filter(
            end_date__isnull=True, position__unit__path__startswith=biggest.path
        )
        .exclude(official_id__in=holders)
        .values_list("official_id", flat=True)
        .first()
    )
    officials = Official.objects.in_bulk(holders)
    for role, official_id in zip(ROLES, holders, strict=True):
        user = user_create(
            username=f"bench-{role}",
            password=None,
            acting_user=root,
            validate=False,
            official=officials[official_id],
        )
        membership_grant(
            user=user,
            pemda=pemda,
            role=role,
            acting_user=root,
            unit=biggest if role == "kepala_opd" else None,
        )
        users[role] = user
    return pemda, users


NAV = re.compile(r'<nav class="(?:mainnav|subnav)[^"]*"[^>]*>(.*?)</nav>', re.S)


def _links(html: str, prefix: str) -> list[str]:
    """The links of the page's menu and sub-menu that stay in the Pemda."""
    found = []
    menus = " ".join(NAV.findall(html))
    for href in re.findall(r'href="([^"#]+)"', menus):
        href = href.replace("&amp;", "&")
        if href.startswith(prefix) and not SKIP.search(href) and href not in found:
            found.append(href)
    return found


def _exports(html: str, prefix: str) -> list[str]:
    """The XLSX and CSV links anywhere on the page, inside the Pemda or national."""
    found = []
    for href in re.findall(r'href="([^"#]+)"', html):
        href = href.replace("&amp;", "&")
        inside = href.startswith((prefix, "/nasional/"))
        if inside and EXPORT.search(href) and "template" not in href and href not in found:
            found.append(href)
    return found


def _rows(body: bytes, url: str) -> int:
    """Data rows of a CSV (lines after the header) or of an XLSX's first sheet."""
    if ".csv" in url:
        return max(0, body.count(b"\n") - 1)
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        if not sheets:
            return 0
        with archive.open(sheets[0]) as sheet:
            count = 0
            tail = b""
            while chunk := sheet.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<row")
                tail = data[-4:]
                count -= tail.count(b"<row")
            count += tail.count(b"<row")
    return max(0, count - 1)


def _download(client: Any, url: str) -> tuple[float, int, int, bool, int]:
    """Seconds to the last byte, status, size, streamed or not, data rows."""
    started = time.perf_counter()
    response = client.get(url)
    streamed = bool(getattr(response, "streaming", False))
    body = response.getvalue() if response.status_code == 200 else b""
    seconds = time.perf_counter() - started
    rows = _rows(body, url) if body else 0
    return seconds, response.status_code, len(body), streamed, rows


def _get(client: Any, url: str) -> tuple[float, int, int, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    body = response.content.decode(errors="replace") if response.status_code == 200 else ""
    return seconds, response.status_code, len(response.content), len(queries), body


def measure(
    databases: Databases,
    backend: str,
    officials: int,
    units: int,
    repeat: int,
    *,
    exports_too: bool = True,
    exports_only: bool = False,
) -> int:
    from django.test import Client

    databases.use_template()
    started = time.perf_counter()
    _setup(officials, units)
    pemda, users = _accounts()
    print(
        f"set-up: {officials:,} officials, {units:,} units, pacts {YEAR}, "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    prefix = f"/p/{pemda.slug}/"
    trivial = "/accounts/api-token/"
    rows: list[tuple[str, str, float, int, int, int]] = []
    worst_ratio, oversize, errors = 0.0, 0, 0
    measured: list[tuple[str, str, float, int, int, int]] = []
    bases: list[float] = []
    exports: dict[str, tuple[str, Any]] = {}  # url -> (first role that sees it, its client)
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        _get(client, trivial)  # warm the process: templates, caches
        bases.append(min(_get(client, trivial)[0] for _ in range(max(5, repeat))))
        home = _get(client, prefix)
        pages = [prefix, *_links(home[4], prefix)]
        for url in list(pages):
            body = _get(client, url)[4]
            for sub in _links(body, prefix):
                if sub not in pages:
                    pages.append(sub)
        for url in pages:
            body = _get(client, url)[4]
            for link in _exports(body, prefix):
                exports.setdefault(link, (role, client))
            for link in [h for h in _links(body, "/nasional/") if h not in pages]:
                for export in _exports(_get(client, link)[4], prefix):
                    exports.setdefault(export, (role, client))
        for url in [] if exports_only else pages:
            runs = [_get(client, url) for _ in range(max(1, repeat))]
            seconds, status, size, queries, _ = min(runs, key=lambda r: r[0])
            measured.append((role, url, seconds, status, size, queries))
        print(f"{role}: trivial page {bases[-1] * 1000:.1f} ms, {len(pages)} pages", flush=True)
    # The same trivial page for every role: its median time is the baseline (one role's lucky
    # or unlucky measurement of a 5 ms page must not decide the ratio of every page).
    base = sorted(bases)[len(bases) // 2]
    print(f"trivial page (median of the roles): {base * 1000:.1f} ms", flush=True)
    for role, url, seconds, status, size, queries in measured:
        ratio = seconds / base if base else 0.0
        rows.append((role, url, seconds, status, size, queries))
        worst_ratio = max(worst_ratio, ratio)
        oversize += size > MAX_BYTES
        errors += status >= 400
        flag = "" if status < 400 and size <= MAX_BYTES and ratio <= TARGET else "  <-- "
        print(
            f"{role:11} {url[len(prefix) - 1 :]:52.52} {status} {seconds * 1000:7.1f} ms "
            f"{ratio:5.1f}x {size / 1024:7.1f} KB {queries:4} q{flag}",
            flush=True,
        )
    if not exports_only:
        print(f"pages: {len(rows)}, over {MAX_BYTES // 1024} KB: {oversize}, errors: {errors}")
    ok = worst_ratio <= TARGET and not oversize and not errors
    export_worst, export_ok = 0.0, True
    if not exports_too:
        exports.clear()
    for url, (role, client) in exports.items():
        # Read once: the largest export is a year of quarterly figures (minutes to read).
        seconds, status, size, streamed, count = _download(client, url)
        per_10k = seconds * 10_000 / max(count, 10_000)
        ratio = per_10k / base if base else 0.0
        export_worst = max(export_worst, ratio)
        good = status == 200 and ratio <= EXPORT_TARGET and (streamed or count < 10_000)
        export_ok = export_ok and good
        print(
            f"export {role:11} {url[len(prefix) - 1 :] if url.startswith(prefix) else url:48.48} "
            f"{status} {seconds:7.2f} s {count:8,} rows {size / 1024:8.1f} KB "
            f"{'streamed' if streamed else 'in memory'} {per_10k:6.2f} s/10k {ratio:6.1f}x"
            f"{'' if good else '  <-- '}",
            flush=True,
        )
    print(f"exports: {len(exports)}")
    if not exports_only:
        result("pages", backend, ratio=worst_ratio, target=TARGET, ok=ok, digits=1)
    if exports_too:
        result("exports", backend, ratio=export_worst, target=EXPORT_TARGET, ok=export_ok, digits=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
