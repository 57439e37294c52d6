"""Demo whistleblowing reports (see ``pakta.ops.demo_content``).

The demo Inspektorat account enrols its report key with the demo password, so that logging in
as that user opens the reports; three reports are then filed through the public intake, and the
first is already under verification with a message to its reporter. The recovery key and the
receipt codes go to ``var/demo-secrets.txt`` (``pakta.ops.demo_secrets``), never to the
output or a log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from pakta.accounts.demo import DEMO_PASSWORD
from pakta.ops.demo_content import DemoCast, Log
from pakta.reports import keys
from pakta.reports import services as reports
from pakta.reports.models import Report, ReportMessage

Category, IdentityMode = Report.Category, Report.IdentityMode


@dataclass(frozen=True)
class ReportPlan:
    category: str
    unit: str
    what: str
    who: str = ""
    when: str = ""
    where: str = ""
    identity: tuple[str, str] | None = None  # (name, contact) of a confidential reporter


REPORTS = [
    ReportPlan(
        Category.PROCUREMENT,
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Spesifikasi teknis paket peningkatan jalan ruas Sari Jaya-Mekarsari disusun mengarah "
        "ke satu merek alat pemadat yang hanya dimiliki satu penyedia lokal. Dua penyedia lain "
        "digugurkan dengan alasan administrasi yang tidak tercantum di dokumen pemilihan.",
        who="Pejabat pembuat komitmen Bidang Bina Marga dan Pokja Pemilihan",
        when="Maret sampai April tahun ini",
        where="Kantor Dinas PUPR, Jl. Pemuda, Sari Jaya",
    ),
    ReportPlan(
        Category.BRIBERY,
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Warga yang ingin KTP-el dan Kartu Keluarga selesai hari itu juga diminta membayar "
        "Rp150.000 lewat seorang perantara di depan kantor. Tanpa uang itu, berkas dikatakan "
        "baru selesai dua minggu lagi.",
        who="Seorang petugas loket pelayanan dan perantara di luar kantor",
        when="Hampir setiap hari kerja, terutama Senin dan Selasa",
        where="Kantor pelayanan Disdukcapil, Kecamatan Sukamaju",
        identity=("Sulastri", "sulastri.pelapor@contoh.test"),
    ),
    ReportPlan(
        Category.POSITION_TRADING,
        "Badan Kepegawaian dan Pengembangan SDM",
        "Menjelang pelantikan pejabat pengawas, beberapa pegawai dihubungi dan diminta "
        "menyiapkan uang agar namanya masuk daftar yang dilantik.",
        when="Dua minggu sebelum pelantikan terakhir",
    ),
]


def demo_reports(cast: DemoCast, log: Log, secret: Log) -> list[Report]:
    handler = cast.inspektorat
    _key, recovery_code, private_key = keys.handler_key_enrol(user=handler, password=DEMO_PASSWORD)
    filed = []
    for plan in REPORTS:
        name, contact = plan.identity or ("", "")
        submission = reports.report_submit(
            pemda=cast.pemda,
            category=plan.category,
            what=plan.what,
            who=plan.who,
            when=plan.when,
            where=plan.where,
            reported_unit=cast.opd(plan.unit),
            identity_mode=IdentityMode.CONFIDENTIAL if plan.identity else IdentityMode.ANONYMOUS,
            identity_name=name,
            identity_contact=contact,
        )
        filed.append(submission)
    first = filed[0].report
    reports.report_message_add(
        report=first,
        kind=ReportMessage.Kind.TO_REPORTER,
        body=(
            "Terima kasih atas laporan Anda. Laporan sedang kami verifikasi. Apakah Anda dapat "
            "mengirimkan nomor paket atau salinan pengumuman pemenangnya?"
        ),
        acting_user=handler,
        private_key=private_key,
    )
    reports.report_transition(
        report=first,
        to_stage=Report.Stage.VERIFICATION,
        acting_user=handler,
        private_key=private_key,
    )
    followup = reverse("report_public:login", kwargs={"pemda": cast.pemda.slug})
    log(
        f"{cast.pemda.name}: {len(filed)} whistleblowing reports filed; report key of "
        f"{handler.username} enrolled with the demo password"
    )
    secret(f"{cast.pemda.name}: recovery key of {handler.username}: {recovery_code}")
    secret(f"Receipt codes (follow a report at {followup}):")
    for s in filed:
        secret(f"  {s.report.reference}: {s.receipt}")
    return [s.report for s in filed]
