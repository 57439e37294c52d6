"""Smoke test of the at-scale shape: `make run-scale` on PostgreSQL and Redis.

``scripts/run-scale.sh`` (what `make run-scale` runs) starts the Procfile with honcho: gunicorn
with two web processes, two RQ workers and the scheduler, on a fresh PostgreSQL database beside
the test database and on a Redis database of its own. Then, over HTTP as a user would: the head of
an OPD logs in and signs the pact waiting in the inbox; the Pemda's administrator builds the
booklet of the signing event, which an RQ worker binds while the page polls, and imports an HR
file (the import template's example row), which an RQ worker checks and, once the
administrator confirms the preview, saves; a citizen files a
whistleblowing report and receives a receipt code, which opens the report's page. The pact is
rendered and signed by an RQ worker, not by the web process (the page says "being signed"
meanwhile): the process running that task (RQ's forked "work horse") is killed with SIGKILL
mid-task, RQ runs it again, and the pact is signed once (the job in RQ's registry, the rows in
the database, the downloaded PDF's signature validated with pyHanko). So is the process running
a second booklet: RQ runs the task again and the booklet finishes with every page. Ctrl-C then
stops every process.

Runs in the PostgreSQL run of CI (``.ci/run``); skipped on SQLite. In CI a Redis that does not
answer fails the test instead of skipping it.
"""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection
from psycopg.conninfo import make_conninfo
from pypdf import PdfReader

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

DEMO_PASSWORD = "pakta-demo-2024"  # the demo accounts' password, shown on the login page
REDIS_URL = os.environ.get("PAKTA_SMOKE_REDIS_URL", "redis://127.0.0.1:6379/9")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Visitor:
    """A browser without JavaScript: cookies, forms with their CSRF token, no redirects hidden."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.page = ""
        self.url = ""

    def get(self, path: str) -> tuple[int, str]:
        return self._open(path, None)

    def post(self, path: str, form: dict[str, str], page_with_form: str = "") -> tuple[int, str]:
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page_with_form or self.page
        )
        assert token, "no CSRF token on the page"
        data = {"csrfmiddlewaretoken": token.group(1), **form}
        return self._open(path, urllib.parse.urlencode(data).encode())

    def post_file(
        self, path: str, form: dict[str, str], field: str, name: str, content: bytes
    ) -> tuple[int, str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.page)
        assert token, "no CSRF token on the page"
        boundary = "----pakta-smoke-boundary"
        parts = []
        for key, value in {"csrfmiddlewaretoken": token.group(1), **form}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            )
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        )
        body = (
            "".join(parts).encode() + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
            self.base + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return self._open(request, None)

    def _open(self, path: str | urllib.request.Request, data: bytes | None) -> tuple[int, str]:
        url: str | urllib.request.Request = path
        if isinstance(path, str):
            url = path if path.startswith("http") else self.base + path
        try:
            with self.opener.open(url, data=data, timeout=120) as response:
                self.url = response.geturl()  # where the redirects ended
                self.page = response.read().decode(errors="replace")
                return response.status, self.page
        except urllib.error.HTTPError as error:
            self.page = error.read().decode(errors="replace")
            return error.code, self.page

    def login(self, username: str) -> None:
        self.get("/accounts/login/")
        status, page = self.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD, "next": "/"}
        )
        assert status == 200 and "/accounts/logout/" in page, page[:2000]


@pytest.fixture
def scale_database() -> Any:
    """A fresh database on the test's PostgreSQL server, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the at-scale smoke test runs on PostgreSQL (CI's second run)")
    params = connection.settings_dict
    name = f"pakta_scale_smoke_{os.getpid()}"
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    user = params.get("USER") or "postgres"
    admin = make_conninfo(
        host=host, port=port, user=user, password=params.get("PASSWORD") or None, dbname="postgres"
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    yield f"postgres://{user}{password}@{host}:{port}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scale_redis() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} does not answer in CI: {error}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    client.flushdb()  # this database is the smoke test's own (PAKTA_SMOKE_REDIS_URL)
    return REDIS_URL


def _wait_for_port(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 900  # migrate and load_demo first
    while time.monotonic() < deadline:
        assert server.poll() is None, f"run-scale stopped:\n{log.read_text()}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"run-scale did not listen:\n{log.read_text()}")


def _poll(visitor: Visitor, path: str, pattern: str, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, page = visitor.get(path)
        assert status == 200, page[:2000]
        if re.search(pattern, page):
            return page
        time.sleep(1)
    raise AssertionError(f"{pattern!r} never appeared on {path}:\n{visitor.page[:3000]}")


def test_run_scale_serves_signs_builds_a_booklet_and_takes_a_report(
    scale_database: str, scale_redis: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PAKTA_", "DJANGO_", "PYTEST_"))
    }
    env.update(
        DATABASE_URL=scale_database,
        REDIS_URL=scale_redis,
        PAKTA_VAR_DIR=str(tmp_path / "var"),
        PORT=str(port),
        WEB="2",
        WORKERS="2",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "run-scale.log"
    project = Path(settings.PROJECT_DIR)
    with log.open("w") as sink:
        server = subprocess.Popen(
            ["bash", "scripts/run-scale.sh"],
            cwd=project,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deployment: dict[int, str] = {}
    try:
        _wait_for_port(port, server, log)
        # The shape: one gunicorn master with two workers, two RQ workers, one scheduler.
        shape: tuple[int, int, int] = (0, 0, 0)
        for _ in range(120):  # the port answers before every process has booted
            deployment = _descendants(server.pid)
            processes = [p for p in deployment.values() if not p.startswith("/bin/sh")]
            shape = (
                sum("gunicorn" in p for p in processes),
                sum("rqworker" in p for p in processes),
                sum("manage.py scheduler" in p for p in processes),
            )
            if shape == (3, 2, 1):
                break
            time.sleep(0.5)
        assert shape == (3, 2, 1), deployment

        # The head of an OPD signs the pact waiting in the inbox.
        official = Visitor(base)
        official.login("kadis.tanjungsari")
        status, inbox = official.get("/p/tanjungsari/inbox/")
        assert status == 200
        pact = re.search(r'href="(/p/tanjungsari/inbox/\d+/)"', inbox)
        assert pact, inbox[:3000]
        official.get(pact.group(1))
        # The RQ work horse rendering and signing it is killed mid-task (SIGKILL, as by the OOM
        # killer), from the moment it appears: RQ runs the task again, and the pact is signed
        # once, whole (checked below).
        killed: list[int] = []
        hunter = threading.Thread(
            target=lambda: killed.append(_kill(_wait_for_work_horse(server.pid)))
        )
        hunter.start()
        status, page = official.post(pact.group(1), {"agree": "on", "credential": DEMO_PASSWORD})
        hunter.join(timeout=90)
        assert killed, "no RQ work horse signed the pact"
        # The request records the consent; an RQ worker renders and signs the PDF while the
        # page says "being signed" and refreshes itself (or it is signed already).
        assert status == 200 and re.search(r'id="(signing-pending|signed-notice)"', page), page[
            :3000
        ]
        if 'id="signing-pending"' in page:
            assert '<meta http-equiv="refresh"' in page
        page = _poll(official, pact.group(1), r'id="signed-notice"', seconds=120)
        assert 'id="signing-pending"' not in page and 'id="signing-failed"' not in page
        _assert_signed_by_a_worker(official, scale_database, scale_redis, pact.group(1))

        # The administrator has the event's booklet bound by an RQ worker.
        admin = Visitor(base)
        admin.login("admin.tanjungsari")
        status, events = admin.get("/p/tanjungsari/pacts/events/")
        event = re.search(r'href="/p/tanjungsari/pacts/events/(\d+)/"', events)
        assert status == 200 and event, events[:3000]
        report_page = f"/p/tanjungsari/pacts/events/{event.group(1)}/report/"
        assert admin.get(report_page)[0] == 200
        status, page = admin.post(f"/p/tanjungsari/pacts/events/{event.group(1)}/booklet/", {})
        assert status == 200, page[:3000]
        # The redirect landed on the booklet's page, which shows the job's progress.
        first_path = _booklet_path(admin)
        page = _poll(admin, first_path, r'id="booklet-download"')
        download = re.search(r'id="booklet-download" href="([^"]+)"', page)
        assert download
        first_booklet = _pdf_pages(admin, base + download.group(1))
        assert first_booklet > 1

        # The process running the next booklet is killed mid-task (as by the OOM killer): RQ
        # runs the task again on a worker, and the booklet finishes, whole.
        admin.get(report_page)
        status, page = admin.post(f"/p/tanjungsari/pacts/events/{event.group(1)}/booklet/", {})
        assert status == 200, page[:3000]
        second = _booklet_path(admin)
        assert second != first_path
        horse = _wait_for_work_horse(server.pid)
        os.kill(horse, signal.SIGKILL)
        page = _poll(admin, second, r'id="booklet-download"')
        download = re.search(r'id="booklet-download" href="([^"]+)"', page)
        assert download
        assert _pdf_pages(admin, base + download.group(1)) == first_booklet
        output = log.read_text()
        assert "waitpid returned" in output
        assert output.count("Work-horse terminated unexpectedly") == 2, output

        # The administrator imports an HR file (the template's example row); an RQ worker runs it.
        status, template = admin.get("/p/tanjungsari/imports/template.csv")
        assert status == 200 and "198503142010011002" in template
        admin.get("/p/tanjungsari/imports/")
        status, page = admin.post_file(
            "/p/tanjungsari/imports/",
            {"mode": "all", "effective_date": ""},
            "file",
            "pegawai.csv",
            template.encode(),
        )
        assert status == 200, page[:3000]
        job = urllib.parse.urlsplit(admin.url).path  # the upload redirects to the job's page
        assert re.fullmatch(r"/p/tanjungsari/imports/\d+/", job), (job, page[:3000])
        # An RQ worker checks the rows; the administrator confirms the preview; a worker saves.
        page = _poll(admin, job, r'id="confirm-form"|class="badge (rejected|failed)"')
        assert 'id="confirm-form"' in page, page[:3000]
        status, page = admin.post(job, {"action": "confirm", "mode": "all"}, page)
        assert status == 200, page[:3000]
        page = _poll(admin, job, r'class="badge (done|rejected|failed)" id="import-status"')
        assert 'class="badge done" id="import-status"' in page, page[:3000]
        status, officials = admin.get("/p/tanjungsari/officials/?q=198503142010011002")
        assert status == 200 and "Budi Santoso" in officials

        # A citizen files a whistleblowing report and gets a receipt code that opens it.
        citizen = Visitor(base)
        citizen.get("/lapor/tanjungsari/")
        status, page = citizen.post(
            "/lapor/tanjungsari/",
            {
                "category": "bribery",
                "identity_mode": "anonymous",
                "what": "Uji asap: pungutan liar pada pelayanan izin.",
                "strip_metadata": "on",
            },
        )
        receipt = re.search(r'id="receipt">([^<]+)<', page)
        assert status == 200 and receipt, page[:3000]
        reporter = Visitor(base)
        reporter.get("/lapor/tanjungsari/masuk/")
        status, page = reporter.post(
            "/lapor/tanjungsari/masuk/", {"receipt": receipt.group(1).strip()}
        )
        assert status == 200 and "pungutan liar" in page, page[:3000]
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    # Every process of the deployment has ended (honcho runs each in a session of its own).
    still_running = set(deployment)
    for _ in range(30):
        still_running &= set(_descendants(1, everything=True))
        if not still_running:
            break
        time.sleep(1)
    assert not still_running, [deployment[pid] for pid in still_running]
    output = log.read_text()
    assert "Traceback" not in output, output


def _assert_signed_by_a_worker(visitor: Visitor, database: str, redis_url: str, page: str) -> None:
    """The pact at ``page`` was signed by an RQ worker: its consent was recorded (the pending
    signature, audited) and gone once applied; the task ``signature_pending_retry_task`` ran
    and finished on a worker; the downloaded PDF's signature validates (pyHanko, against the
    deployment's CA) and names the official."""
    from rq import Queue
    from rq.job import Job as RQJob
    from rq.registry import FinishedJobRegistry

    from pakta.signing import pdf, pki

    pact_id = int(page.rstrip("/").rsplit("/", 1)[1])
    with psycopg.connect(database) as conn:
        (document_id,) = conn.execute(
            "SELECT document_id FROM pacts_pact WHERE id = %s", [pact_id]
        ).fetchone()  # type: ignore[misc]
        (official,) = conn.execute(
            "SELECT signer_name FROM signing_signature WHERE document_id = %s AND role = 'signer'",
            [document_id],
        ).fetchone()  # type: ignore[misc]
        pending_ids = [
            int(row[0])
            for row in conn.execute(
                "SELECT object_id FROM audit_auditevent WHERE action = %s"
                " AND (summary->>'document_id')::int = %s ORDER BY seq",
                ["signing.signature.requested", document_id],
            )
        ]
        applied = conn.execute(
            "SELECT count(*) FROM audit_auditevent WHERE action = %s"
            " AND (summary->>'document_id')::int = %s",
            ["signing.signature.applied", document_id],
        ).fetchone()
        left = conn.execute(
            "SELECT count(*) FROM signing_pendingsignature WHERE document_id = %s", [document_id]
        ).fetchone()
    assert len(pending_ids) == 1 and applied == (1,) and left == (0,)
    client = redis.Redis.from_url(redis_url)
    finished = FinishedJobRegistry(queue=Queue("default", connection=client))
    jobs = [RQJob.fetch(job_id, connection=client) for job_id in finished.get_job_ids()]
    signing_jobs = [
        job
        for job in jobs
        if job.func_name == "pakta.signing.tasks.signature_pending_retry_task"
        and list(job.args) == pending_ids
    ]
    assert len(signing_jobs) == 1, [(job.func_name, job.args) for job in jobs]
    assert signing_jobs[0].worker_name, "the job was not run by an RQ worker"
    # Its first run was killed: RQ ran it again (one retry used), and one signature resulted.
    assert signing_jobs[0].retries_left == 1  # of PAKTA_TASK_RETRIES, 2 by default
    with psycopg.connect(database) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM signing_signature WHERE document_id = %(d)s),"
            " (SELECT count(*) FROM signing_documentversion WHERE document_id = %(d)s)",
            {"d": document_id},
        ).fetchone()
    assert counts == (1, 2)  # the unsigned original and the signed version, nothing more
    with visitor.opener.open(visitor.base + "/signing/ca.pem", timeout=60) as response:
        ca = pki.cert_from_pem(response.read().decode())
    download = visitor.base + page.replace("/inbox/", "/pacts/") + "document.pdf"
    with visitor.opener.open(download, timeout=60) as response:
        content = response.read()
    assert content.startswith(b"%PDF"), (download, content[:500])
    (check,) = pdf.validate(content, trust_roots=[ca], revoked_serials=set())
    assert check.status == "valid", check
    assert check.signer_name == official, check


def _descendants(root: int, everything: bool = False) -> dict[int, str]:
    """The processes below ``root`` (all of them with ``everything``), pid to command line."""
    rows = subprocess.run(
        ["ps", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    table: dict[int, tuple[int, str]] = {}
    for row in rows:
        fields = row.split(None, 2)
        table[int(fields[0])] = (int(fields[1]), fields[2] if len(fields) > 2 else "")
    if everything:
        return {pid: args for pid, (_ppid, args) in table.items()}
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, args) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = args
                frontier.append(pid)
    return found


def _pdf_pages(visitor: Visitor, url: str) -> int:
    """The number of pages of the PDF at ``url``, which must open as a whole PDF."""
    with visitor.opener.open(url, timeout=120) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        content = response.read()
    assert content.startswith(b"%PDF-")
    return len(PdfReader(io.BytesIO(content)).pages)


def _wait_for_work_horse(root: int) -> int:
    """The pid of an RQ work horse (the forked child that runs a task) below ``root``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        processes = _descendants(root)
        workers = {pid for pid, args in processes.items() if "rqworker" in args}
        table = _parents()
        for pid in workers:
            if table.get(pid) in workers:
                return pid
        time.sleep(0.02)
    raise AssertionError("no RQ worker started the task")


def _kill(pid: int) -> int:
    os.kill(pid, signal.SIGKILL)
    return pid


def _parents() -> dict[int, int]:
    rows = subprocess.run(
        ["ps", "-eo", "pid=,ppid="], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return {int(row.split()[0]): int(row.split()[1]) for row in rows}


def _booklet_path(visitor: Visitor) -> str:
    found = re.search(r"(/p/tanjungsari/pacts/booklets/\d+/)", visitor.page)
    assert found, visitor.page[:3000]
    return found.group(1)
