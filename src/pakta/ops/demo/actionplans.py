"""Demo action plan (see ``pakta.ops.demo_content``): the follow-up of KPK's procurement
recommendation, with three actions: one under way, one whose evidence awaits the Inspektorat's
verification (the demo Kepala Dinas Kesehatan's), and one not started."""

from __future__ import annotations

import datetime as dt

from pakta.actionplans import services as plans
from pakta.actionplans.models import ActionPlan
from pakta.ops.demo_content import DemoCast, Log, evidence_pdf
from pakta.surveys.models import SpiFinding


def demo_action_plan(cast: DemoCast, finding: SpiFinding, log: Log) -> ActionPlan:
    year, today = cast.year, cast.today
    plan = plans.action_plan_create(
        pemda=cast.pemda,
        acting_user=cast.inspektorat,
        title=f"Tindak lanjut rekomendasi KPK hasil SPI {finding.result.year}: pengadaan barang/jasa",
        source=ActionPlan.Source.SPI_FINDING,
        finding=finding,
        description=(
            "Disusun oleh Inspektorat bersama OPD terkait; kemajuan dilaporkan setiap bulan "
            "dalam rapat pimpinan."
        ),
    )
    setda = "Sekretariat Daerah"
    announce = plans.action_item_add(
        plan=plan,
        acting_user=cast.inspektorat,
        title=(
            f"Mengumumkan seluruh rencana umum pengadaan (RUP) tahun {year} di SiRUP dan "
            "memperbaruinya setiap ada perubahan"
        ),
        owner_unit=cast.opd(setda),
        owner=cast.head_of(setda),
        due_date=today + dt.timedelta(days=30),
        required_output="Rekap RUP per OPD dan tangkapan layar pengumuman SiRUP",
    )
    sop = plans.action_item_add(
        plan=plan,
        acting_user=cast.inspektorat,
        title=(
            "Menetapkan SOP pengadaan alat kesehatan yang mewajibkan pakta integritas dan "
            "pernyataan bebas benturan kepentingan pejabat pengadaan"
        ),
        owner_unit=cast.opd("Dinas Kesehatan"),
        owner=cast.kadis,
        due_date=today + dt.timedelta(days=14),
        required_output="Keputusan Kepala Dinas Kesehatan tentang SOP pengadaan alat kesehatan",
    )
    plans.action_item_add(
        plan=plan,
        acting_user=cast.inspektorat,
        title="Melaksanakan probity audit atas paket pengadaan bernilai di atas Rp1 miliar",
        owner_unit=cast.opd("Inspektorat"),
        owner=cast.head_of("Inspektorat"),
        due_date=today + dt.timedelta(days=60),
        required_output="Laporan hasil probity audit",
    )
    plans.action_progress_post(
        item=announce,
        acting_user=cast.account_of(setda),
        note="RUP 36 dari 40 OPD sudah diumumkan di SiRUP; empat OPD sedang melengkapi data.",
    )
    decree = f"440/112/DINKES/{year}"
    plans.action_progress_post(
        item=sop,
        acting_user=cast.kadis_user,
        note=f"SOP ditetapkan dengan Keputusan Kepala Dinas Kesehatan Nomor {decree}.",
        files=[
            plans.EvidenceFile(
                name="sk-sop-pengadaan-alkes.pdf",
                content=evidence_pdf(
                    f"Keputusan Kepala Dinas Kesehatan Nomor {decree}",
                    [
                        "tentang Standar Operasional Prosedur Pengadaan Alat Kesehatan",
                        "Setiap pejabat pengadaan menandatangani pakta integritas dan pernyataan "
                        "bebas benturan kepentingan sebelum proses pemilihan dimulai.",
                    ],
                ),
                content_type="application/pdf",
            )
        ],
        submit=True,
    )
    log(
        f"{cast.pemda.name}: action plan “{plan.title}” with 3 actions, one awaiting the "
        "Inspektorat's verification"
    )
    return plan
