"""One crawl in Chromium: every menu page, as every demo role, in Indonesian and in English.

It fails on a console error, on a 4xx/5xx for a page the role's own menu links to, on an
English sentence left on an Indonesian page (a msgid of the catalogue shown untranslated), and
on a broken chart (an SVG whose coordinates carry a decimal comma, or a chart container left
empty). It also opens the 403 and 404 pages, which must be in Indonesian.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from pakta.accounts.models import User
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROLES = [
    "superadmin",
    "admin.tanjungsari",
    "inspektorat.tanjungsari",
    "upg.tanjungsari",
    "bupati.tanjungsari",
    "kadis.tanjungsari",
    "pegawai.tanjungsari",
]
PO = Path(__file__).resolve().parents[2] / "src/pakta/locale/id/LC_MESSAGES/django.po"
# Links of the menus that leave the staff pages or start a download.
SKIP = re.compile(r"^/(lapor|api|accounts/logout|i18n)/|\.(pdf|xlsx|csv|json|zip)(\?|$)")


def _catalogue() -> dict[str, str]:
    """msgid -> msgstr of the Indonesian catalogue (singular entries, no context)."""
    entries: dict[str, str] = {}
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgctxt" in block or "msgid_plural" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue

        def join(raw: str) -> str:
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', raw)
            return "".join(parts).replace('\\"', '"').replace("\\n", "\n")

        entries[join(match.group(1))] = join(match.group(2))
    return entries


def english_sentences() -> list[str]:
    """English texts that never appear on a page in Indonesian: msgids of three words or more,
    without placeholders, whose translation differs (or is missing: then it is untranslated)."""
    found = []
    for msgid, msgstr in _catalogue().items():
        if not msgid or "%" in msgid or "{" in msgid or "<" in msgid or msgid in msgstr:
            continue  # (a translation may keep the English term: "Trading in influence (…)")
        if len(msgid.split()) >= 3 and msgid[0].isupper():
            found.append(msgid)
    return found


def chart_problems(page: Any) -> list[str]:
    return page.evaluate(
        """() => {
        const bad = [];
        for (const el of document.querySelectorAll('main svg *')) {
          for (const name of ['x', 'y', 'width', 'height', 'cx', 'cy', 'r', 'x1', 'x2', 'y1', 'y2']) {
            const v = el.getAttribute(name);
            if (v && /\\d,\\d/.test(v)) bad.push(`${el.tagName} ${name}="${v}"`);
          }
          const points = el.getAttribute('points');
          if (points && /\\d,\\d+,\\d/.test(points.replace(/ /g, ''))) {}
        }
        for (const el of document.querySelectorAll('main [data-chart], main .echart, main .chart')) {
          const box = el.getBoundingClientRect();
          const drawn = el.querySelector('svg, canvas, table');
          if (!drawn || box.width === 0 || box.height === 0) bad.push('empty chart ' + (el.id || el.className));
        }
        return bad;
      }"""
    )


def warm_up(chromium: Any, live_server: Any) -> None:
    """The live server's first answer takes long (imports); later pages are quick."""
    context = chromium.new_context(base_url=live_server.url)
    context.new_page().goto("/accounts/login/", timeout=180_000)
    context.close()


def menu_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "nav.mainnav a, .usernav a, nav.subnav a", "els => els.map(e => e.getAttribute('href'))"
    )
    seen: list[str] = []
    for href in hrefs:
        if not href or not href.startswith("/") or SKIP.search(href) or href in seen:
            continue
        seen.append(href)
    return seen


def test_every_menu_page_for_every_role_in_both_languages(chromium: Any, live_server: Any) -> None:
    # In a thread of its own: signing runs asyncio, and Playwright's loop runs in this one.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(call_command, "load_demo", officials=60, verbosity=0).result()
    warm_up(chromium, live_server)
    sentences = english_sentences()
    problems: list[str] = []
    visited = 0
    for username in ROLES:
        user = User.objects.get(username=username)
        session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
        for language in ("id", "en"):
            context = chromium.new_context(base_url=live_server.url, locale="id-ID")
            context.set_default_timeout(60_000)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session,
                        "url": live_server.url,
                    },
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": live_server.url,
                    },
                ]
            )
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            start = "/p/tanjungsari/" if username != "superadmin" else "/"
            page.goto(start)
            queue = [start, *menu_links(page)]
            # The second level: the sub-menus of each area (pacts, performance, ...).
            done: set[str] = set()
            while queue:
                href = queue.pop(0)
                if href in done:
                    continue
                done.add(href)
                errors.clear()
                response = page.goto(href)
                visited += 1
                where = f"{username} [{language}] {href}"
                status = response.status if response else 0
                if status >= 400:
                    problems.append(f"{where}: HTTP {status}")
                    continue
                for message in errors:
                    problems.append(f"{where}: console: {message}")
                for problem in chart_problems(page):
                    problems.append(f"{where}: chart: {problem}")
                if language == "id":
                    text = page.inner_text("body")
                    for sentence in sentences:
                        if sentence in text:
                            problems.append(f"{where}: untranslated: {sentence!r}")
                for link in menu_links(page):
                    if link not in done and link not in queue and len(done) < 60:
                        queue.append(link)
            context.close()
    assert visited > 100
    # One line per page and problem (the same SVG fault repeats for every role).
    unique: dict[str, list[str]] = {}
    for line in problems:
        who, _sep, what = line.partition(" [")
        unique.setdefault("[" + what, []).append(who)
    report = [
        f"{what}  ({len(whos)} roles: {', '.join(sorted(set(whos)))})"
        for what, whos in unique.items()
    ]
    assert not problems, f"{len(unique)} problems:\n" + "\n".join(report[:150])


def test_error_pages_are_in_indonesian(chromium: Any, live_server: Any) -> None:
    from pakta.core.roles import Role
    from pakta.org import services as org
    from tests.conftest import make_user

    superadmin = User.objects.create_superuser("root-crawl", password="x-123456789")
    pemda = org.pemda_create(
        acting_user=superadmin,
        name="Kabupaten Alfa",
        slug="alfa",
        kind="kabupaten",
        kemendagri_code="98.01",
    )
    user = make_user("pegawai-crawl", pemda, Role.PEGAWAI, granter=superadmin)
    session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    warm_up(chromium, live_server)
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    response = page.goto("/p/alfa/tidak-ada/")
    assert response.status == 404 and "Halaman tidak ditemukan" in page.inner_text("h1")
    response = page.goto("/p/alfa/audit/")
    assert response.status == 403
    assert page.evaluate("document.documentElement.lang") == "id"
    body = page.inner_text("main")
    assert not any(s in body for s in english_sentences()), body
    context.close()
    # The 500 page (rendered without a request) in Indonesian as well.
    from django.template import loader
    from django.utils import translation

    with translation.override("id"):
        html = loader.render_to_string("500.html")
    assert not any(s in html for s in english_sentences()), html
