"""Demo procurement (see ``pakta.ops.demo_content``): a year of tenders of Dinas PUPR and Dinas
Kesehatan imported as OCDS JSON Lines, with the red flags the issue describes (a single bid, a
late winning bid, the lowest bid disqualified, direct purchases split under Rp200 juta), the
head of each Dinas as PPK, and a case the Inspektorat has opened on the riskiest package."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from pakta.ops.demo_content import DemoCast, Log
from pakta.procurement.models import CommitteeMember, OcdsImport, Package
from pakta.procurement.services import cases
from pakta.procurement.services.imports import ocds_import_create, ocds_import_run

SUPPLIERS = [
    ("PT Karya Bangun Sarana", "01.234.567.8-711.000"),
    ("CV Mitra Sejahtera", "02.345.678.9-711.000"),
    ("PT Medika Nusantara", "03.456.789.0-711.000"),
    ("CV Tunas Harapan", "04.567.890.1-711.000"),
    ("PT Sinar Konstruksi", "05.678.901.2-711.000"),
    ("CV Sumber Rezeki", "06.789.012.3-711.000"),
]


def _release(i: int, year: int, buyer: str, rng: random.Random, **kind: Any) -> dict[str, Any]:
    wib = dt.timezone(dt.timedelta(hours=7))
    start = dt.datetime(year, 2, 1, 8, tzinfo=wib) + dt.timedelta(days=7 * i)
    days = kind.get("days", 21)
    end = start + dt.timedelta(days=days)
    hps = kind.get("hps", rng.randrange(300, 4000) * 1_000_000)
    bidders = kind.get("bidders", rng.sample(range(len(SUPPLIERS)), rng.choice([2, 3, 4])))
    parties: list[dict[str, Any]] = [
        {"id": "B", "name": buyer, "roles": ["buyer", "procuringEntity"]}
    ]
    details: list[dict[str, Any]] = []
    for j, s in enumerate(bidders):
        name, npwp = SUPPLIERS[s]
        parties.append(
            {
                "id": f"S{s}",
                "name": name,
                "roles": ["tenderer"],
                "identifier": {"scheme": "ID-NPWP", "id": npwp},
            }
        )
        status = "disqualified" if j in kind.get("disqualified", ()) else "valid"
        amount = float(round(hps * (0.9 + 0.02 * j), -3))
        late = j == 0 and kind.get("late")
        date = end + dt.timedelta(hours=3) if late else end - dt.timedelta(days=1, hours=j)
        details.append(
            {
                "id": f"b{j}",
                "status": status,
                "tenderers": [{"id": f"S{s}", "name": name}],
                "value": {"amount": amount, "currency": "IDR"},
                "date": date.isoformat(),
            }
        )
    winner = kind.get("winner", bidders[0] if not kind.get("disqualified") else bidders[1])
    parties[1 + bidders.index(winner)]["roles"].append("supplier")
    amount = next(d["value"]["amount"] for d in details if d["tenderers"][0]["id"] == f"S{winner}")
    award_date = end + dt.timedelta(days=10)
    return {
        "ocid": f"ocds-demo-{year}-{i:03d}",
        "id": f"ocds-demo-{year}-{i:03d}-1",
        "date": award_date.isoformat(),
        "tag": ["compiled"],
        "parties": parties,
        "buyer": {"id": "B", "name": buyer},
        "tender": {
            "id": f"{year}{i:04d}",
            "title": kind.get("title", f"Paket {i}: pekerjaan {buyer.lower()} tahun {year}"),
            "status": "complete",
            "procurementMethod": kind.get("method", "open"),
            "procurementMethodDetails": kind.get("details", "Tender"),
            "mainProcurementCategory": kind.get("category", "works"),
            "value": {"amount": hps, "currency": "IDR"},
            "tenderPeriod": {"startDate": start.isoformat(), "endDate": end.isoformat()},
            "procuringEntity": {"id": "B", "name": buyer},
            "numberOfTenderers": len(bidders),
        },
        "bids": {"details": details},
        "awards": [
            {
                "id": "a1",
                "status": "active",
                "date": award_date.isoformat(),
                "value": {"amount": amount, "currency": "IDR"},
                "suppliers": [{"id": f"S{winner}", "name": SUPPLIERS[winner][0]}],
            }
        ],
        "contracts": [
            {
                "id": "c1",
                "awardID": "a1",
                "value": {"amount": amount, "currency": "IDR"},
                "dateSigned": (award_date + dt.timedelta(days=5)).isoformat(),
            }
        ],
    }


def demo_procurement(cast: DemoCast, log: Log) -> None:
    rng = random.Random(18)  # noqa: S311 (demo data, not secrets)
    year = cast.year - 1
    pupr, dinkes = "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Kesehatan"
    releases = [_release(i, year, pupr if i % 2 else dinkes, rng) for i in range(1, 25)]
    releases.append(
        _release(
            30, year, pupr, rng, bidders=[4], title="Rehabilitasi jalan desa Sungai Hijau ruas 2"
        )
    )
    releases.append(_release(31, year, dinkes, rng, late=True, bidders=[2, 3]))
    releases.append(_release(32, year, pupr, rng, bidders=[0, 1, 5], disqualified=(0,), days=10))
    for k in range(3):
        releases.append(
            _release(
                40 + k,
                year,
                dinkes,
                rng,
                method="direct",
                details="Pengadaan Langsung",
                category="goods",
                hps=190_000_000,
                bidders=[5],
                title="Pengadaan alat kesehatan",
            )
        )
    content = "\n".join(json.dumps(r) for r in releases).encode()
    job = ocds_import_create(
        pemda=cast.pemda,
        acting_user=cast.inspektorat,
        file_name=f"ocds-{year}.jsonl",
        content=content,
        mode=OcdsImport.Mode.ALL_OR_NOTHING,
        enqueue=False,
    )
    job = ocds_import_run(job_id=job.pk)
    for name in (pupr, dinkes):
        head = cast.head_of(name)
        for package in Package.objects.filter(pemda=cast.pemda, buyer__name=name):
            CommitteeMember.objects.get_or_create(
                pemda=cast.pemda, package=package, official=head, role=CommitteeMember.Role.PPK
            )
    riskiest = Package.objects.filter(pemda=cast.pemda).order_by("-risk_score", "pk").first()
    if riskiest is not None and riskiest.risk_score > 0:
        case = cases.case_open(package=riskiest, acting_user=cast.inspektorat)
        cases.case_entry_add(
            case=case,
            acting_user=cast.inspektorat,
            kind="question",
            text="Mohon penjelasan mengapa hanya satu penawaran yang masuk dan masa pemasukan penawaran dipersingkat.",
        )
    log(f"Procurement: {job.summary.get('created', 0)} packages imported, flags computed.")
