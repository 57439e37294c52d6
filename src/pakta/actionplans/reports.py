"""The follow-up report to KPK: each recommendation, its actions, their status and evidence.

The PDF is an official document (kop, QR verification) rendered with the pacts' document base
and signed through the signing service; the XLSX carries the same rows for KPK's spreadsheets.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pakta.actionplans.models import ActionItem, ActionPlan, ActionProgress
from pakta.core.exports import rows_to_xlsx


def report_rows(plan: ActionPlan) -> list[dict[str, Any]]:
    """One row per action item, grouped by the recommendation it answers."""
    items = list(
        plan.items.select_related("owner_unit", "owner", "finding").order_by(
            "recommendation", "due_date", "pk"
        )
    )
    evidence: dict[int, list[str]] = {}
    for progress in ActionProgress.objects.filter(item__plan=plan).prefetch_related("evidence"):
        for document in progress.evidence.all():
            names = evidence.setdefault(progress.item_id, [])
            label = f"{document.original_name} (SHA-256 {document.sha256[:12]})"
            if label not in names:
                names.append(label)
    return [
        {
            "recommendation": item.recommendation
            or (item.finding.text if item.finding else "")
            or plan.title,
            "dimension": item.get_dimension_display() if item.dimension else "",
            "action": item.title,
            "unit": item.owner_unit.name,
            "owner": item.owner.full_name if item.owner else "",
            "due": item.due_date,
            "output": item.required_output,
            "status": item.get_status_display(),
            "done": item.status == ActionItem.Status.DONE,
            "verified_at": timezone.localtime(item.verified_at).date()
            if item.verified_at
            else None,
            "evidence": evidence.get(item.pk, []),
        }
        for item in items
    ]


def source_text(plan: ActionPlan) -> str:
    from pakta.pacts.rendering import tanggal_id

    if plan.source == ActionPlan.Source.KPK_LETTER and plan.letter_date:
        return f"{plan.letter_number}, {tanggal_id(plan.letter_date)}"
    if plan.finding_id:
        finding = plan.finding
        return f"SPI {finding.result.survey_year.year} #{finding.number}: {finding.text}"  # type: ignore[union-attr]
    if plan.survey_id:
        return str(plan.survey)
    return ""


def render_plan_report(plan: ActionPlan, document: Any, *, signer: Any) -> bytes:
    from pakta.org.selectors import current_position
    from pakta.pacts.rendering import (
        logo_data_uri,
        qr_svg_data_uri,
        render_pdf,
        tanggal_id,
        verification_url,
    )

    rows = report_rows(plan)
    position = current_position(signer) if signer is not None else None
    with translation.override("id"):
        context = {
            "title": document.title,
            "plan": plan,
            "pemda": plan.pemda,
            "logo": logo_data_uri(plan.pemda),
            "source_kind": plan.get_source_display(),
            "source_text": source_text(plan),
            "rows": rows,
            "total": len(rows),
            "done": sum(1 for r in rows if r["done"]),
            "signer": signer,
            "signer_title": position.title if position else "",
            "place": plan.pemda.seat or plan.pemda.name,
            "date_text": tanggal_id(timezone.localdate()),
            "qr": qr_svg_data_uri(verification_url(document.token)),
            "verify_url": verification_url(document.token),
            "short_code": document.short_code_display,
        }
        return render_pdf("actionplans/documents/plan_report.html", context)


def plan_report_xlsx(plan: ActionPlan) -> bytes:
    headers = [
        _("Recommendation"),
        _("Dimension"),
        _("Action"),
        _("Owner unit"),
        _("Person in charge"),
        _("Due date"),
        _("Required output"),
        _("Status"),
        _("Verified on"),
        _("Evidence"),
    ]
    rows = [
        [
            r["recommendation"],
            r["dimension"],
            r["action"],
            r["unit"],
            r["owner"],
            r["due"],
            r["output"],
            r["status"],
            r["verified_at"],
            "; ".join(r["evidence"]),
        ]
        for r in report_rows(plan)
    ]
    return rows_to_xlsx(headers, rows, title=_("Action plan"))
