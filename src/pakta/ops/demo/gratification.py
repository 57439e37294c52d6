"""Demo gratification reports (see ``pakta.ops.demo_content``): a Lebaran parcel from a vendor
that the Kepala Dinas Kesehatan handed to the UPG (flagged by the giver register, in custody,
under analysis), a refused envelope reported by an employee, and a wedding gift within the
2026 limit."""

from __future__ import annotations

import datetime as dt

from pakta.accounts.models import User
from pakta.gratification import custody, services
from pakta.gratification.models import GratificationReport
from pakta.ops.demo_content import DemoCast, Log


def _day(cast: DemoCast, days_ago: int) -> dt.date:
    return cast.today - dt.timedelta(days=days_ago)


def demo_gratification(cast: DemoCast, log: Log) -> None:
    upg = User.objects.filter(username=f"upg.{cast.pemda.slug}").first()
    pegawai = User.objects.filter(username=f"pegawai.{cast.pemda.slug}").first()
    if upg is None:
        return
    custody.giver_add(
        pemda=cast.pemda,
        acting_user=upg,
        name="PT Sehat Medika Nusantara",
        identifier="01.234.567.8-901.000",
        kind="vendor",
        unit=cast.opd("Dinas Kesehatan"),
        valid_until=cast.today + dt.timedelta(days=180),
        note="Kontrak pengadaan alat kesehatan",
    )
    parcel = services.report_file(
        pemda=cast.pemda,
        acting_user=cast.kadis_user,
        type=GratificationReport.Type.RECEIVED,
        giver_name="PT. Sehat Medika Nusantara",
        giver_organisation="PT Sehat Medika Nusantara",
        relationship="vendor",
        occasion="Menjelang Idul Fitri",
        received_on=_day(cast, 6),
        place="Kantor Dinas Kesehatan",
        kind="goods",
        description="Parsel berisi makanan kaleng dan peralatan makan",
        value=1_750_000,
        location=GratificationReport.Location.UPG,
        chronology="Parsel diantar kurir ke ruang kerja tanpa pemberitahuan sebelumnya.",
        compensation_requested=False,
    )
    custody.custody_receive(
        report=parcel,
        acting_user=upg,
        description="Parsel (1 keranjang)",
        received_from=cast.kadis.full_name,
        storage="Lemari arsip UPG, Inspektorat",
        condition="good",
        received_on=_day(cast, 5),
    )
    services.report_verify(report=parcel, acting_user=upg)
    if pegawai is not None and pegawai.official_id:
        services.report_file(
            pemda=cast.pemda,
            acting_user=pegawai,
            type=GratificationReport.Type.REFUSED,
            giver_name="Pemohon izin (tidak dikenal)",
            relationship="service_user",
            occasion="Pengurusan izin",
            received_on=_day(cast, 2),
            place="Loket pelayanan",
            kind="money",
            description="Amplop berisi uang",
            value=500_000,
            location=GratificationReport.Location.NONE,
            chronology="Amplop ditolak di tempat dan pemohon diarahkan ke loket resmi.",
        )
        services.report_file(
            pemda=cast.pemda,
            acting_user=pegawai,
            type=GratificationReport.Type.RECEIVED,
            giver_name="Paman",
            relationship="family",
            occasion="Pernikahan",
            exempt_category="ceremony",
            received_on=_day(cast, 9),
            place="Gedung serbaguna",
            kind="money",
            description="Uang dalam amplop",
            value=1_000_000,
            location=GratificationReport.Location.RECIPIENT,
            chronology="Diterima saat resepsi pernikahan.",
        )
    log("gratification: 3 reports, 1 item in custody, 1 giver register entry")
