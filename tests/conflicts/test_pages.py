"""The pages: a bad NIK is refused next to its field in Indonesian with the typed values kept;
another's declaration is a 404; the Inspektorat reviews a finding; reports, export, public page."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from pakta.audit.models import AuditEvent
from pakta.conflicts import services
from pakta.conflicts.models import DeclaredRelative, Finding, KnownFalsePositive
from tests.conflicts.conftest import YEAR, _package
from tests.conftest import client_for


def _indonesian(client) -> None:
    client.cookies["django_language"] = "id"


def test_bad_nik_is_shown_next_to_the_field(people, pemda_a) -> None:
    client = client_for(people["budi_user"])
    _indonesian(client)
    home = client.get(reverse("conflicts:home", kwargs={"pemda": pemda_a.slug}))
    assert "Pernyataan kepentingan saya" in home.content.decode()
    response = client.post(
        reverse("conflicts:declaration_start", kwargs={"pemda": pemda_a.slug}),
        {"year": YEAR, "reason": "annual"},
    )
    detail_url = response["Location"]
    url = detail_url + "relatives/"
    before = (AuditEvent.objects.count(), DeclaredRelative.objects.count())
    page = client.post(
        url, {"relation": "child", "name": "Putri Siregar", "nik": "3201019913800001"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Bagian tanggal NIK (angka ke-7 sampai ke-12) bukan tanggal lahir yang mungkin." in body
    assert 'value="Putri Siregar"' in body and 'value="3201019913800001"' in body
    assert (AuditEvent.objects.count(), DeclaredRelative.objects.count()) == before
    page = client.post(
        detail_url + "businesses/",
        {"company_name": "CV Abadi", "role": "owner", "share_percent": "150"},
    )
    assert "Saham harus antara 0 dan 100 persen." in page.content.decode()
    ok = client.post(url, {"relation": "child", "name": "Putri Siregar", "nik": "3201014505100001"})
    assert ok.status_code == 302
    assert DeclaredRelative.objects.get().nik == "3201014505100001"
    # Sari may not even see that Budi's declaration exists.
    other = client_for(people["sari_user"])
    assert other.get(detail_url).status_code == 404
    assert other.get(url).status_code == 404


def test_inspektorat_reviews_a_finding_in_english(people, pemda_a, unit_a) -> None:
    decision, _member, _tenderer = _package(people, unit_a, pemda_a)
    services.screen_decision(decision=decision, acting_user=people["admin"])
    finding = Finding.objects.get(kind="missing_declaration", official=people["budi"])
    client = client_for(people["inspektorat"])
    client.cookies["django_language"] = "en"
    queue = client.get(reverse("conflicts:queue", kwargs={"pemda": pemda_a.slug})).content.decode()
    assert "Committee member has not declared" in queue
    assert "belum menyampaikan pernyataan" in queue  # the explanation stays Indonesian
    url = reverse("conflicts:finding_detail", kwargs={"pemda": pemda_a.slug, "pk": finding.pk})
    refused = client.post(url, {"action": "dismiss", "reason": ""})
    assert refused.status_code == 200 and not KnownFalsePositive.objects.exists()
    done = client.post(url, {"action": "dismiss", "reason": "Declared on paper, scanned"})
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "dismissed"
    assert KnownFalsePositive.objects.filter(pair_key=finding.pair_key).exists()
    # A pegawai cannot reach the queue.
    assert client_for(people["budi_user"]).get(url).status_code == 403


def test_reports_export_and_public_counts(people, pemda_a, unit_a) -> None:
    decision, member, tenderer = _package(people, unit_a, pemda_a)
    services.decision_declare(
        decision=decision, acting_user=people["budi_user"], answers=[(tenderer, "family", "Adik")]
    )
    services.decision_recuse(
        decision=decision,
        acting_user=people["admin"],
        member=member,
        substitute=people["andi"],
        reason="Keluarga",
    )
    client = client_for(people["inspektorat"])
    page = client.get(reverse("conflicts:report", kwargs={"pemda": pemda_a.slug}))
    assert page.status_code == 200
    export = client.get(
        reverse("conflicts:report_xlsx", kwargs={"pemda": pemda_a.slug}) + f"?year={YEAR}"
    )
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[1][0] == YEAR and rows[1][2] == 1 and rows[1][3] == 1  # conflict, recusal
    public = client_for(people["budi_user"]).get(
        reverse("conflicts_public:counts", kwargs={"pemda": pemda_a.slug})
    )
    from django.test import Client

    anonymous = Client().get(reverse("conflicts_public:counts", kwargs={"pemda": pemda_a.slug}))
    body = anonymous.content.decode()
    assert anonymous.status_code == 200 and public.status_code == 200
    assert "Budi" not in body and "Andi" not in body


def test_waiting_declarations_and_packages_without_a_decision(people, pemda_a, unit_a) -> None:
    from pakta.conflicts.todo import conflicts_todo
    from pakta.procurement.services.packages import package_create

    decision, _member, _tenderer = _package(people, unit_a, pemda_a)
    todos = list(conflicts_todo(people["budi_user"], pemda_a))
    assert [t.kind for t in todos] == ["conflicts.declare"]
    assert str(decision) in todos[0].title
    package_create(
        pemda=pemda_a,
        acting_user=people["admin"],
        title="Rehabilitasi gedung Puskesmas",
        procuring_unit=unit_a,
        year=YEAR,
        committee=[(people["sari"], "ppk")],
    )
    client = client_for(people["admin"])
    page = client.get(reverse("conflicts:decision_list", kwargs={"pemda": pemda_a.slug}))
    assert "Rehabilitasi gedung Puskesmas" in page.content.decode()
