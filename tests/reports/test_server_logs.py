"""The development server of ``make run`` logs nothing about the anonymous public routes.

The real ``runserver`` runs in a child process (debug on, as in ``make run``) against the test
database, with the report service made to fail so that a post to the public form ends in a
500. Requests to every public route, with 2xx, 3xx, 4xx and 5xx answers, then leave no trace in
what the server printed (its access log and Django's request, CSRF and error loggers), while a
staff request is logged as usual, which proves the log was on.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

SERVER = """
import os, sys
sys.path.insert(0, {src!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakta.settings")
import django
django.setup()
from pakta.reports import services

def report_submit(**kwargs):
    raise RuntimeError("forced failure of the report service")

services.report_submit = report_submit  # every filed report now ends in a 500
from django.core.management import call_command
call_command("runserver", "127.0.0.1:{port}", "--noreload", "--skip-checks")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    """The test database for the server; for SQLite a copy, so that the server process never
    shares the test's database file (and its WAL) with the test process."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "server.sqlite3"
        source, target = sqlite3.connect(params["NAME"]), sqlite3.connect(copy)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return f"sqlite:///{copy}"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{params.get('PORT') or 5432}/{params['NAME']}"


def _get(opener: Any, url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with opener.open(url, data=data, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_public_routes_leave_nothing_in_the_server_output(
    pemda_a: Any, role_users: dict[str, Any], tmp_path: Path
) -> None:
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url(tmp_path),
        PAKTA_TASKS_IMMEDIATE="1",  # in-memory cache: the test database has no cache table
        PAKTA_DEBUG="true",  # as in `make run`
        PYTHONUNBUFFERED="1",
    )
    env.pop("PAKTA_TESTING", None)
    output = tmp_path / "server.log"
    src = str(Path(settings.PROJECT_DIR) / "src")
    with output.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER.format(src=src, port=port)],
            cwd=settings.PROJECT_DIR,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        intake = f"{base}/lapor/{pemda_a.slug}/"

        status, page = _get(opener, intake)
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        form = {"csrfmiddlewaretoken": token.group(1), "category": "bribery"}
        form["identity_mode"] = "anonymous"
        form["what"] = "Laporan yang dibuat gagal oleh uji."
        status, page = _get(opener, intake, urllib.parse.urlencode(form).encode())
        assert status == 500  # the forced failure
        status, page = _get(urllib.request.build_opener(), intake, b"what=tanpa+token")
        assert status == 403 and "Formulir tidak dapat dikirim" in page  # debug on, Pakta's page
        for path, expected in (
            (f"/lapor/{pemda_a.slug}/kasus/", 302),
            ("/lapor/tidak-ada/", 404),
            ("/v/tidak-ada", 404),
            ("/survei/tidak-ada/", 404),
            (f"/publik/{pemda_a.slug}/pakta/", 200),
            ("/static/reports/reports.css", 200),
        ):
            opener_no_redirect = urllib.request.build_opener(NoRedirect)
            status, _page = _get(opener_no_redirect, base + path)
            assert status == expected, path
        status, _page = _get(urllib.request.build_opener(), f"{base}/accounts/login/")
        assert status == 200
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    log = output.read_text()
    assert "/accounts/login/" in log, log  # the access log was on
    for marker in ("/lapor/", "/v/", "/survei/", "/publik/", "/static/", "forced failure"):
        assert marker not in log, f"{marker} found in the server output:\n{log}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
