from __future__ import annotations

from typing import Any

import pytest

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.procurement.models import Bid, Flag, OcdsImport, Package, Party, PartyPerson
from pakta.procurement.services.imports import ocds_import_create, ocds_import_run
from tests.procurement.ocds_samples import compiled, jsonl, release_package


def run(pemda: Any, user: Any, content: bytes, mode: str = "all") -> OcdsImport:
    job = ocds_import_create(
        pemda=pemda,
        acting_user=user,
        file_name="ocds.jsonl",
        content=content,
        mode=mode,
        enqueue=False,
    )
    return ocds_import_run(job_id=job.pk)


def test_compiled_releases_release_and_record_packages(
    pemda_a: Any, unit_a: Any, superadmin: Any
) -> None:
    first = compiled("ocds-b5fd17-0001")
    # A release package of two releases of one ocid: compiled with ocdsmerge.
    tender_release = {
        **compiled("ocds-b5fd17-0002"),
        "id": "r1",
        "tag": ["tender"],
        "date": "2024-03-01T00:00:00Z",
    }
    tender_release.pop("awards"), tender_release.pop("contracts")
    award_release = {
        "ocid": "ocds-b5fd17-0002",
        "id": "r2",
        "tag": ["award"],
        "date": "2024-03-21T00:00:00Z",
        "awards": compiled("x")["awards"],
    }
    record = {
        "records": [{"ocid": "ocds-b5fd17-0003", "compiledRelease": compiled("ocds-b5fd17-0003")}]
    }
    job = run(
        pemda_a, superadmin, jsonl(first, release_package(tender_release, award_release), record)
    )
    assert job.status == OcdsImport.Status.DONE, job.errors
    assert job.summary["created"] == 3
    merged = Package.objects.get(ocid="ocds-b5fd17-0002")
    assert merged.winner.name == "PT Maju Jaya" and merged.awards.get().status == "active"
    package = Package.objects.get(ocid="ocds-b5fd17-0001")
    assert package.buyer == unit_a  # "Dinas Kesehatan" matched to the unit
    assert package.hps_value == 1_000_000_000 and package.bids.count() == 2
    maju = Party.objects.get(identifier_scheme="ID-NPWP")
    assert maju.roles == ["supplier", "tenderer"]
    assert PartyPerson.objects.get(party=maju).nik == "6271010101800001"
    # The 7-day submission period is Cardinal's R003; every package is scored.
    assert Flag.objects.filter(package=package, code="R003").exists()
    assert package.__class__.objects.get(pk=package.pk).risk_score > 0


def test_reimport_updates_by_ocid(pemda_a: Any, superadmin: Any) -> None:
    run(pemda_a, superadmin, jsonl(compiled("ocds-b5fd17-0001")))
    job = run(
        pemda_a,
        superadmin,
        jsonl(compiled("ocds-b5fd17-0001", title="Judul baru yang cukup panjang")),
    )
    assert job.summary["created"] == 0 and job.summary["updated"] == 1
    package = Package.objects.get()
    assert package.title == "Judul baru yang cukup panjang" and Bid.objects.count() == 2
    assert Party.objects.filter(identifier_scheme="ID-NPWP").count() == 1


BAD = [
    ("not json", "", "not_json"),
    ({"tag": ["compiled"], "tender": {}}, "ocid", "missing_ocid"),
    (
        {
            **compiled("o-3"),
            "tender": {
                **compiled("o-3")["tender"],
                "value": {"amount": "satu miliar", "currency": "IDR"},
            },
        },
        "tender/value/amount",
        "amount_not_number",
    ),
    (
        {
            **compiled("o-4"),
            "tender": {**compiled("o-4")["tender"], "value": {"amount": 5, "currency": "RPH"}},
        },
        "tender/value/currency",
        "unknown_currency",
    ),
    (
        {
            **compiled("o-5"),
            "tender": {
                **compiled("o-5")["tender"],
                "tenderPeriod": {
                    "startDate": "2024-03-01T08:00:00",
                    "endDate": "2024-03-20T08:00:00+07:00",
                },
            },
        },
        "tender/tenderPeriod/startDate",
        "date_without_zone",
    ),
]


def test_bad_lines_are_reported_and_nothing_is_imported(pemda_a: Any, superadmin: Any) -> None:
    content = jsonl(compiled("ocds-b5fd17-0001"), *(b for b, _p, _m in BAD))
    job = run(pemda_a, superadmin, content)
    assert job.status == OcdsImport.Status.REJECTED
    found = {(e["line"], e["path"], e["message"]) for e in job.errors}
    assert found == {(i + 2, path, message) for i, (_b, path, message) in enumerate(BAD)}
    amount = next(e for e in job.errors if e["message"] == "amount_not_number")
    assert amount["value"] == "satu miliar" and amount["ocid"] == "o-3"
    assert not Package.objects.exists() and not Party.objects.exists()


def test_valid_lines_only(pemda_a: Any, superadmin: Any) -> None:
    content = jsonl(compiled("ocds-b5fd17-0001"), *(b for b, _p, _m in BAD))
    job = run(pemda_a, superadmin, content, mode="good")
    assert job.status == OcdsImport.Status.DONE and len(job.errors) == len(BAD)
    assert list(Package.objects.values_list("ocid", flat=True)) == ["ocds-b5fd17-0001"]


def test_empty_upload_is_refused_without_a_trace(pemda_a: Any, superadmin: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        ocds_import_create(
            pemda=pemda_a,
            acting_user=superadmin,
            file_name="x.jsonl",
            content=b"  \n",
            enqueue=False,
        )
    assert not OcdsImport.objects.exists() and AuditEvent.objects.count() == before
