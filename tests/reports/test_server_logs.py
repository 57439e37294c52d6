"""The server of ``make run`` logs nothing about the anonymous public routes.

``scripts/serve.sh`` (what ``make run`` runs once the database is ready: gunicorn with its
configuration and the task worker beside it) runs in a child process against a copy of the test
database, with the report service made to fail so that a post to the public form ends in a 500.
The failure is injected by a ``sitecustomize`` module on ``PYTHONPATH`` that wraps
``django.setup``; the server command itself is not changed. Requests to every public route, with
2xx, 3xx, 4xx and 5xx answers, then leave no trace in what the processes printed (gunicorn's
access and error logs, Django's request, CSRF and error loggers), while staff requests are logged
as usual, which proves the log was on. Ctrl-C (SIGINT to the process group, as a terminal sends
it) then stops every process.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FAILING_REPORTS = """
import django

_setup = django.setup


def setup(*args, **kwargs):
    _setup(*args, **kwargs)
    from pakta.reports import services

    def report_submit(**kwargs):
        raise RuntimeError("forced failure of the report service")

    services.report_submit = report_submit  # every filed report now ends in a 500


django.setup = setup
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
        with opener.open(url, data=data, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_for_port(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        assert server.poll() is None, f"the server stopped:\n{log.read_text()}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not listen:\n{log.read_text()}")


def test_public_routes_leave_nothing_in_the_server_output(
    pemda_a: Any, role_users: dict[str, Any], tmp_path: Path
) -> None:
    port = _free_port()
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FAILING_REPORTS)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PAKTA_", "DJANGO_", "PYTEST_")) and key != "REDIS_URL"
    }
    env.update(
        DATABASE_URL=_database_url(tmp_path),
        PAKTA_VAR_DIR=str(tmp_path / "var"),
        PORT=str(port),
        PYTHONPATH=str(hooks),
        PYTHONUNBUFFERED="1",
    )
    project = Path(settings.PROJECT_DIR)
    python = str(project / ".venv" / "bin" / "python")
    # As `make run` does before serve.sh (the test database is already migrated).
    subprocess.run(
        [python, "manage.py", "createcachetable"], cwd=project, env=env, check=True, timeout=120
    )
    output = tmp_path / "server.log"
    with output.open("w") as sink:
        server = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_port(port, server, output)
        # gunicorn listens before its workers have loaded Django: the first answer can take a while.
        assert _get(urllib.request.build_opener(), f"{base}/accounts/login/")[0] == 200
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
        assert status == 500  # the forced failure, shown with Pakta's own page
        assert "Terjadi kesalahan" in page and "Traceback" not in page
        status, page = _get(urllib.request.build_opener(), intake, b"what=tanpa+token")
        assert status == 403 and "Formulir tidak dapat dikirim" in page
        for path, expected in (
            (f"/lapor/{pemda_a.slug}/kasus/", 302),
            ("/lapor/tidak-ada/", 404),
            ("/v/tidak-ada", 404),
            ("/survei/tidak-ada/", 404),
            (f"/publik/{pemda_a.slug}/pakta/", 200),
            ("/static/reports/reports.css", 200),  # WhiteNoise, after collectstatic
        ):
            opener_no_redirect = urllib.request.build_opener(NoRedirect)
            status, _page = _get(opener_no_redirect, base + path)
            assert status == expected, path
        status, _page = _get(urllib.request.build_opener(), f"{base}/accounts/login/")
        assert status == 200
        # Debug is off: a missing staff page is Pakta's translated 404, not Django's URL list.
        status, page = _get(urllib.request.build_opener(), f"{base}/tidak-ada-di-staf/")
        assert status == 404 and "Halaman tidak ditemukan" in page
        assert "URLconf" not in page
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C
        server.wait(timeout=30)
    log = output.read_text()
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # every process of the group has ended
        os.killpg(server.pid, 0)
    assert "Starting gunicorn" in log, log  # the production server, not runserver
    assert '"GET /accounts/login/ HTTP/1.1" 200' in log, log  # the access log was on
    assert "/tidak-ada-di-staf/" in log, log
    for marker in ("/lapor/", "/v/", "/survei/", "/publik/", "/static/", "forced failure"):
        assert marker not in log, f"{marker} found in the server output:\n{log}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
