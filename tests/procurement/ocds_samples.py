"""OCDS samples for the tests: a Pemda's tenders as compiled releases and packages."""

from __future__ import annotations

import json
from typing import Any


def compiled(
    ocid: str,
    *,
    buyer: str = "Dinas Kesehatan",
    winner_amount: float = 950_000_000,
    second_amount: float = 990_000_000,
    start: str = "2024-03-01T08:00:00+07:00",
    end: str = "2024-03-08T08:00:00+07:00",
    title: str = "Pengadaan alat kesehatan puskesmas",
    method: str = "open",
    tenderers: int = 2,
) -> dict[str, Any]:
    parties = [
        {"id": "B", "name": buyer, "roles": ["buyer", "procuringEntity"]},
        {
            "id": "W",
            "name": "PT Maju Jaya",
            "roles": ["tenderer", "supplier"],
            "identifier": {"scheme": "ID-NPWP", "id": "01.234.567.8-901.000"},
            "beneficialOwners": [
                {
                    "name": "Budi Santoso",
                    "identifier": {"scheme": "IDN-IDCARD", "id": "6271010101800001"},
                }
            ],
        },
        {
            "id": "L",
            "name": "CV Sejahtera",
            "roles": ["tenderer"],
            "identifier": {"scheme": "ID-NIB", "id": "9120001234567"},
        },
    ]
    details = [
        {
            "id": "b1",
            "status": "valid",
            "tenderers": [{"id": "W", "name": "PT Maju Jaya"}],
            "value": {"amount": winner_amount, "currency": "IDR"},
            "date": "2024-03-07T10:00:00+07:00",
        },
    ]
    if tenderers > 1:
        details.append(
            {
                "id": "b2",
                "status": "valid",
                "tenderers": [{"id": "L", "name": "CV Sejahtera"}],
                "value": {"amount": second_amount, "currency": "IDR"},
                "date": "2024-03-07T11:00:00+07:00",
            }
        )
    return {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2024-04-01T00:00:00+07:00",
        "tag": ["compiled"],
        "parties": parties,
        "buyer": {"id": "B", "name": buyer},
        "tender": {
            "id": ocid[-4:],
            "title": title,
            "status": "complete",
            "procurementMethod": method,
            "procurementMethodDetails": "Tender",
            "mainProcurementCategory": "goods",
            "value": {"amount": 1_000_000_000, "currency": "IDR"},
            "tenderPeriod": {"startDate": start, "endDate": end},
            "procuringEntity": {"id": "B", "name": buyer},
            "numberOfTenderers": tenderers,
        },
        "bids": {"details": details},
        "awards": [
            {
                "id": "a1",
                "status": "active",
                "date": "2024-03-20T00:00:00+07:00",
                "value": {"amount": winner_amount, "currency": "IDR"},
                "suppliers": [{"id": "W", "name": "PT Maju Jaya"}],
            }
        ],
        "contracts": [
            {
                "id": "c1",
                "awardID": "a1",
                "value": {"amount": winner_amount, "currency": "IDR"},
                "dateSigned": "2024-03-25T00:00:00+07:00",
                "amendments": [{"id": "m1", "date": "2024-04-05T00:00:00+07:00"}],
            }
        ],
    }


def release_package(*releases: dict[str, Any]) -> dict[str, Any]:
    return {
        "uri": "https://example.org/p.json",
        "publishedDate": "2024-04-01T00:00:00Z",
        "releases": list(releases),
    }


def jsonl(*objects: Any) -> bytes:
    return ("\n".join(o if isinstance(o, str) else json.dumps(o) for o in objects) + "\n").encode()
