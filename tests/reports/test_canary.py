"""The canary test: a report's secrets are nowhere on the server, except for its handler.

A report is filed through the public form with a unique string in its text, another in an
attached file (and its file name), and the reporter's unique name; the request also carries a
unique address and user agent. Then the whole database (the SQLite file with its WAL, or a
``pg_dump`` of the PostgreSQL database), the document store and every log are searched for
each string: none may be found. The assigned handler reads all of them; a handler of the same
Pemda who is excluded (named in the report) and one who enrolled later cannot.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from pakta.reports import crypto, keys, services
from pakta.reports.models import Report, ReportKeyGrant
from tests.conftest import IN_CI, PASSWORD
from tests.reports.conftest import handler_client, make_handler


def _database_bytes() -> bytes:
    """Every byte the database holds: the SQLite file and its WAL, or a dump of PostgreSQL."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = connection.settings_dict["NAME"]
        connection.close()
        data = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = Path(f"{name}{suffix}")
            if path.exists():
                data += path.read_bytes()
        assert len(data) > 100_000, "the SQLite test database was not found"
        return data
    if shutil.which("pg_dump") is None:
        if IN_CI:
            pytest.fail("pg_dump is missing in CI: install the PostgreSQL client tools.")
        pytest.skip("pg_dump is not installed")
    params = connection.settings_dict
    connection.close()
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    result = subprocess.run(
        [
            "pg_dump",
            "--host",
            params.get("HOST") or "127.0.0.1",
            "--port",
            str(params.get("PORT") or 5432),
            "--username",
            params.get("USER") or "postgres",
            "--no-owner",
            params["NAME"],
        ],
        capture_output=True,
        check=True,
        env=env,
    )
    assert b"reports_report" in result.stdout
    return result.stdout


def _files_bytes(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_canary_strings_are_nowhere_but_with_the_assigned_handler(
    pemda_a: Any, handler_a: Any, handler_b: Any, superadmin: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    tag = uuid.uuid4().hex
    canaries = {
        "text": f"CanaryText{tag}",
        "file": f"CanaryFile{tag}",
        "file name": f"CanaryName{tag}",
        "reporter": f"Canary Reporter {tag}",
        "address": "203.0.113.77",
        "user agent": f"CanaryAgent/{tag}",
        "referrer": f"https://canary-{tag}.example/",
    }
    # The reporter names handler B as involved: B is excluded and never receives the key.
    public = Client(
        REMOTE_ADDR=canaries["address"],
        HTTP_USER_AGENT=canaries["user agent"],
        HTTP_REFERER=canaries["referrer"],
    )
    url = reverse("report_public:intake", kwargs={"pemda": pemda_a.slug})
    assert public.get(url).status_code == 200
    response = public.post(
        url,
        {
            "category": Report.Category.BRIBERY,
            "what": f"Kepala bidang meminta uang. {canaries['text']}",
            "who": "Bambang Wijaya, auditor",
            "when": "Maret 2026",
            "where": "Kantor perizinan",
            "identity_mode": Report.IdentityMode.CONFIDENTIAL,
            "identity_name": canaries["reporter"],
            "identity_contact": "",
            "evidence": [
                SimpleUploadedFile(
                    f"{canaries['file name']}.txt",
                    f"Catatan transfer: {canaries['file']}".encode(),
                    content_type="text/plain",
                )
            ],
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    receipt = re.search(r'id="receipt">([\d ]{19})<', page)
    assert receipt, page
    report = Report.objects.get()
    assert report.assignee == handler_a

    # A handler who enrolls after the report came has no key to it.
    handler_c = make_handler("citra", pemda_a, superadmin)

    # --- Nothing on the server: database, document store, logs -------------------------------
    database = _database_bytes()
    documents = _files_bytes(Path(settings.MEDIA_ROOT))
    assert documents, "the attachment was not stored"
    var_files = {
        path: data
        for path, data in _files_bytes(Path(settings.VAR_DIR)).items()
        if not path.startswith(str(Path(settings.MEDIA_ROOT)))
    }
    logs = caplog.text.encode()
    # The search works: what is stored in clear (the case reference) is found.
    assert report.reference.encode() in database
    found = []
    for what, canary in canaries.items():
        needle = canary.encode()
        if needle in database:
            found.append(f"{what} in the database")
        for path, data in documents.items():
            if needle in data:
                found.append(f"{what} in the document store ({path})")
        for path, data in var_files.items():
            if needle in data:
                found.append(f"{what} in {path}")
        if needle in logs:
            found.append(f"{what} in the logs")
    assert not found, found

    # --- The assigned handler reads the text, the file and the name -----------------------------
    client_a = handler_client(handler_a)
    detail = client_a.get(reverse("reports:detail", kwargs={"pemda": "alfa", "pk": report.pk}))
    assert canaries["text"] in detail.content.decode()
    assert canaries["file name"] in detail.content.decode()
    attachment = report.attachments.get()
    download = client_a.get(
        reverse("reports:attachment", kwargs={"pemda": "alfa", "pk": attachment.pk})
    )
    assert canaries["file"].encode() in download.content
    identity = client_a.post(reverse("reports:identity", kwargs={"pemda": "alfa", "pk": report.pk}))
    assert canaries["reporter"] in identity.content.decode()

    # --- The excluded handler and the late one cannot -----------------------------------------
    assert not ReportKeyGrant.objects.filter(report=report, user=handler_b).exists()
    assert not ReportKeyGrant.objects.filter(report=report, user=handler_c).exists()
    for other in (handler_b, handler_c):
        private = keys.handler_key_unwrap(key=other.handler_key, password=PASSWORD)
        assert private is not None
        assert services.report_open(report=report, user=other, private_key=private) is None
        # Not even with every sealed key of the report in hand.
        for grant in report.grants.all():
            with pytest.raises(crypto.DecryptionError):
                crypto.unseal(private, bytes(grant.sealed_key))
    client_b = handler_client(handler_b)
    hidden = client_b.get(reverse("reports:detail", kwargs={"pemda": "alfa", "pk": report.pk}))
    assert hidden.status_code == 404  # B is excluded: the report does not exist for B
    client_c = handler_client(handler_c)
    locked = client_c.get(reverse("reports:detail", kwargs={"pemda": "alfa", "pk": report.pk}))
    assert locked.status_code == 200
    assert canaries["text"] not in locked.content.decode()
    assert report.reference in locked.content.decode()
