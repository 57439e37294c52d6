"""Exports for KPK and the Pemda: the signed per-report recap (the fields of KPK's gratification
reporting form) and the periodic recap as XLSX in the columns of KPK's GOL (docs/gratification.md).
No network call to KPK is made: the UPG uploads or attaches the files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication
from pakta.audit.services import audit_record
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.exports import rows_to_xlsx
from pakta.core.permissions import has_permission
from pakta.core.templatetags.pakta import format_rupiah
from pakta.gratification.models import GratificationReport, Relationship
from pakta.org.models import Pemda

# The columns of the recap, in the order of KPK's GOL reporting form (docs/gratification.md).
GOL_COLUMNS = [
    "No",
    "Nomor Laporan",
    "Tanggal Lapor",
    "Nama Pelapor",
    "NIP",
    "Jabatan",
    "Unit Kerja",
    "Jenis Laporan",
    "Nama Pemberi",
    "Instansi Pemberi",
    "Hubungan dengan Pemberi",
    "Peristiwa Penerimaan",
    "Tempat Penerimaan",
    "Tanggal Penerimaan",
    "Jenis Gratifikasi",
    "Uraian Objek",
    "Perkiraan Nilai (Rp)",
    "Posisi Objek",
    "Kronologi",
    "Permohonan Kompensasi",
    "Terlambat (>30 hari kerja)",
    "Status",
    "Nomor Laporan KPK",
    "Keputusan",
    "Nomor SK",
    "Tanggal SK",
]


def recap_rows(reports: Any) -> list[list[Any]]:
    rows = []
    with translation.override("id"):
        for n, r in enumerate(reports, start=1):
            rows.append(
                [
                    n,
                    r.number,
                    r.reported_on,
                    r.recipient_name,
                    r.recipient_nip,
                    r.recipient_position,
                    r.recipient_unit_name,
                    r.get_type_display(),
                    r.giver_name,
                    r.giver_organisation,
                    r.get_relationship_display(),
                    r.occasion,
                    r.place,
                    r.received_on,
                    r.get_kind_display(),
                    r.description,
                    r.value,
                    r.get_location_display(),
                    r.chronology,
                    "Ya" if r.compensation_requested else "Tidak",
                    "Ya" if r.late else "Tidak",
                    r.get_status_display(),
                    r.kpk_number,
                    r.get_decision_display() if r.decision else "",
                    r.decision_letter_number,
                    r.decision_letter_date,
                ]
            )
    return rows


def recap_xlsx(*, pemda: Pemda, start: dt.date, end: dt.date) -> bytes:
    reports = GratificationReport.objects.filter(
        pemda=pemda, reported_on__gte=start, reported_on__lte=end
    ).order_by("reported_on", "pk")
    return rows_to_xlsx(GOL_COLUMNS, recap_rows(reports), title="Rekap Gratifikasi")


@transaction.atomic
def recap_export(*, pemda: Pemda, start: dt.date, end: dt.date, acting_user: Any) -> bytes:
    """The recap as the UPG downloads it: names, NIP and gifts of every reporter of the period
    (personal data), so each download is audited with its row count (docs/permissions.md)."""
    rows = GratificationReport.objects.filter(
        pemda=pemda, reported_on__gte=start, reported_on__lte=end
    ).count()
    content = recap_xlsx(pemda=pemda, start=start, end=end)
    audit_record(
        actor=acting_user,
        action="gratification.recap.exported",
        obj=None,
        pemda_id=pemda.pk,
        summary={"rows": rows, "from": start.isoformat(), "to": end.isoformat(), "format": "xlsx"},
    )
    return content


def render_recap(report: GratificationReport, document: Any, *, signer: Any) -> bytes:
    from pakta.org.selectors import current_position
    from pakta.pacts.rendering import (
        logo_data_uri,
        qr_svg_data_uri,
        render_pdf,
        tanggal_id,
        verification_url,
    )

    position = current_position(signer) if signer is not None else None
    with translation.override("id"):
        context = {
            "title": document.title,
            "r": report,
            "pemda": report.pemda,
            "logo": logo_data_uri(report.pemda),
            "relationship": Relationship(report.relationship).label,
            "type": report.get_type_display(),
            "kind": report.get_kind_display(),
            "location": report.get_location_display(),
            "value": format_rupiah(report.value),
            "received": tanggal_id(report.received_on),
            "reported": tanggal_id(report.reported_on),
            "signer": signer,
            "signer_title": position.title if position else "",
            "place": report.pemda.seat or report.pemda.name,
            "date_text": tanggal_id(timezone.localdate()),
            "qr": qr_svg_data_uri(verification_url(document.token)),
            "verify_url": verification_url(document.token),
            "short_code": document.short_code_display,
        }
        return render_pdf("gratification/documents/recap.html", context)


def report_recap_sign(
    *, report: GratificationReport, acting_user: Any, credential: str | Reauthentication
) -> Any:
    """Render the report's recap and sign it (PAdES) as the acting UPG official."""
    from pakta.signing.services import report_sign_as_user

    if not has_permission(acting_user, report.pemda, "gratification.manage"):
        raise PermissionDeniedError(_("Only the UPG can sign the recap."))

    def on_signed(document: Any) -> None:
        GratificationReport.objects.filter(pk=report.pk).update(recap=document)
        audit_record(
            actor=acting_user,
            action="gratification.report.signed",
            obj=report,
            summary={"document_id": document.pk},
        )

    return report_sign_as_user(
        pemda=report.pemda,
        acting_user=acting_user,
        credential=credential,
        title=_("Gratification report recap %(number)s") % {"number": report.number},
        render=lambda doc, signer: render_recap(report, doc, signer=signer),
        on_signed=on_signed,
    )


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise DomainError(_("Choose a quarter from 1 to 4 of a valid year."))
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def render_quarter(pemda: Pemda, year: int, quarter: int, document: Any, *, signer: Any) -> bytes:
    """The quarterly recap to the regional head: counts and one line per report (number, unit,
    kind, value, status) — no reporter or giver names."""
    from pakta.gratification.selectors import stats
    from pakta.org.selectors import current_position, regional_head
    from pakta.pacts.rendering import (
        logo_data_uri,
        qr_svg_data_uri,
        render_pdf,
        tanggal_id,
        verification_url,
    )

    start, end = quarter_bounds(year, quarter)
    reports = list(
        GratificationReport.objects.filter(
            pemda=pemda, received_on__gte=start, received_on__lte=end
        ).order_by("received_on", "pk")
    )
    position = current_position(signer) if signer is not None else None
    head = regional_head(pemda)
    with translation.override("id"):
        figures = stats(pemda=pemda, period=(start, end))
        rows = [
            {
                "number": r.number,
                "received": tanggal_id(r.received_on),
                "unit": r.recipient_unit_name or "—",
                "type": r.get_type_display(),
                "kind": r.get_kind_display(),
                "value": format_rupiah(r.value),
                "status": r.get_status_display(),
                "decision": r.get_decision_display() if r.decision else "—",
            }
            for r in reports
        ]
        context = {
            "title": document.title,
            "pemda": pemda,
            "logo": logo_data_uri(pemda),
            "year": year,
            "quarter": quarter,
            "head_title": head[1] if head else "Kepala Daerah",
            "stats": figures,
            "received": sum(1 for r in reports if r.type == GratificationReport.Type.RECEIVED),
            "refused": sum(1 for r in reports if r.type == GratificationReport.Type.REFUSED),
            "total_value": format_rupiah(figures["value"]),
            "rows": rows,
            "signer": signer,
            "signer_title": position.title if position else "",
            "place": pemda.seat or pemda.name,
            "date_text": tanggal_id(timezone.localdate()),
            "qr": qr_svg_data_uri(verification_url(document.token)),
            "verify_url": verification_url(document.token),
            "short_code": document.short_code_display,
        }
        return render_pdf("gratification/documents/quarterly.html", context)


def quarter_recap_sign(
    *, pemda: Pemda, year: int, quarter: int, acting_user: Any, credential: str | Reauthentication
) -> Any:
    """Render and sign (PAdES) the quarterly recap to the regional head as the UPG official."""
    from pakta.gratification.models import QuarterlyRecap
    from pakta.signing.services import report_sign_as_user

    if not has_permission(acting_user, pemda, "gratification.manage"):
        raise PermissionDeniedError(_("Only the UPG can sign the recap."))
    quarter_bounds(year, quarter)

    def on_signed(document: Any) -> None:
        recap, _created = QuarterlyRecap.objects.update_or_create(
            pemda=pemda, year=year, quarter=quarter, defaults={"document": document}
        )
        audit_record(
            actor=acting_user,
            action="gratification.quarter.signed",
            obj=recap,
            summary={"document_id": document.pk, "year": year, "quarter": quarter},
        )

    return report_sign_as_user(
        pemda=pemda,
        acting_user=acting_user,
        credential=credential,
        title=_("Gratification recap, quarter %(quarter)s of %(year)s")
        % {"quarter": quarter, "year": year},
        render=lambda doc, signer: render_quarter(pemda, year, quarter, doc, signer=signer),
        on_signed=on_signed,
    )
