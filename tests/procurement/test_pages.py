from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.procurement.models import Case, CaseEntry, Package
from pakta.procurement.selectors import package_people
from pakta.procurement.services import cases
from pakta.procurement.services.flags import conflict_raise
from pakta.procurement.services.imports import ocds_import_create, ocds_import_run
from tests.conftest import client_for
from tests.procurement.ocds_samples import compiled, jsonl


@pytest.fixture
def imported(pemda_a: Any, unit_a: Any, superadmin: Any) -> Package:
    content = jsonl(
        compiled("ocds-b5fd17-0001", tenderers=1),
        *(
            compiled(
                f"ocds-b5fd17-01{i:02d}",
                start="2024-03-01T08:00:00+07:00",
                end="2024-03-30T08:00:00+07:00",
            )
            for i in range(5)
        ),
    )
    job = ocds_import_create(
        pemda=pemda_a, acting_user=superadmin, file_name="o.jsonl", content=content, enqueue=False
    )
    assert ocds_import_run(job_id=job.pk).status == "done"
    return Package.objects.get(ocid="ocds-b5fd17-0001")


def test_package_page_explains_flags_in_indonesian_and_english(
    imported: Package, role_users: dict[str, Any]
) -> None:
    client = client_for(role_users["inspektorat"])
    url = imported.get_absolute_url()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Hanya satu penawaran masuk pada tender terbuka" in page
    assert "PT Maju Jaya" in page and "Rp950.000.000" in page
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "Only one bid was received in an open tender." in english


def test_dashboard_queue_export_and_public_page(
    imported: Package, role_users: dict[str, Any], pemda_a: Any
) -> None:
    client = client_for(role_users["pimpinan"])
    page = client.get(f"/p/{pemda_a.slug}/procurement/").content.decode()
    assert imported.title in page and "R018" in page
    export = client.get(f"/p/{pemda_a.slug}/procurement/packages.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    public = Client().get(f"/pengadaan/{pemda_a.slug}/").content.decode()
    assert "R018" in public and imported.title not in public
    # Pegawai do not see procurement.
    assert (
        client_for(role_users["pegawai"]).get(f"/p/{pemda_a.slug}/procurement/").status_code == 403
    )


def test_upload_page_shows_line_errors(
    role_users: dict[str, Any], pemda_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(role_users["inspektorat"])
    upload = SimpleUploadedFile("ocds.jsonl", jsonl(compiled("o-1"), "{oops"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/p/{pemda_a.slug}/procurement/imports/", {"file": upload, "mode": "all"}
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Ditolak: tidak ada data yang diubah" in page and "Baris ini bukan JSON." in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(response["Location"]).content.decode()
    assert "Rejected: nothing was changed" in page and "The line is not JSON." in page
    assert not Package.objects.exists()


def test_case_steps_are_audited_and_refusals_leave_nothing(
    imported: Package, role_users: dict[str, Any]
) -> None:
    inspector = role_users["inspektorat"]
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        cases.case_open(package=imported, acting_user=role_users["pimpinan"])
    assert not Case.objects.exists() and AuditEvent.objects.count() == before
    case = cases.case_open(package=imported, acting_user=inspector)
    cases.case_entry_add(
        case=case, acting_user=inspector, kind="question", text="Mengapa hanya satu penawar?"
    )
    with pytest.raises(DomainError):
        cases.case_entry_add(case=case, acting_user=inspector, kind="evidence", text="Berita acara")
    assert CaseEntry.objects.count() == 1
    cases.case_close(
        case=case,
        acting_user=inspector,
        finding="administrative",
        conclusion="Perbaiki pengumuman.",
    )
    with pytest.raises(DomainError):
        cases.case_entry_add(case=case, acting_user=inspector, kind="answer", text="Terlambat")
    actions = list(
        AuditEvent.objects.filter(action__startswith="procurement.case")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["procurement.case_open", "procurement.case_entry", "procurement.case_close"]


def test_conflicts_hook(imported: Package, superadmin: Any) -> None:
    people = package_people(package=imported)
    assert {c.name for c in people.companies} == {"PT Maju Jaya"}
    assert [p.name for p in people.people] == ["Budi Santoso"]
    before = imported.risk_score
    conflict_raise(package=imported, acting_user=superadmin, detail={"official": 1})
    imported.refresh_from_db()
    assert imported.risk_score >= before + 10
