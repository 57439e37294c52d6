"""The PDFs of a case: the examination record (BAP) and the decision (SK), in Indonesian.

Neither names the reporter of a whistleblowing report: the origin is given by its reference only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pakta.discipline.models import DisciplineCase, Sanction


def _common(case: DisciplineCase, document: Any) -> dict[str, Any]:
    from pakta.pacts.rendering import logo_data_uri, qr_svg_data_uri, verification_url

    return {
        "title": document.title,
        "case": case,
        "pemda": case.pemda,
        "logo": logo_data_uri(case.pemda),
        "provisions": list(case.provisions.all()),
        "place": case.pemda.seat or case.pemda.name,
        "qr": qr_svg_data_uri(verification_url(document.token)),
        "verify_url": verification_url(document.token),
        "short_code": document.short_code_display,
    }


def render_bap(
    case: DisciplineCase, document: Any, *, examiner: Any, held_on: dt.date, findings: str
) -> bytes:
    from pakta.org.selectors import current_position
    from pakta.pacts.rendering import render_pdf, tanggal_id

    position = current_position(examiner)
    context = _common(case, document) | {
        "examiner": examiner,
        "examiner_title": position.title if position else "",
        "team": list(case.team.all()),
        "held_on": tanggal_id(held_on),
        "findings": findings,
        "level": case.get_level_display(),
        "date_text": tanggal_id(held_on),
    }
    return render_pdf("discipline/documents/bap.html", context)


def render_decision(sanction: Sanction, document: Any, *, position: Any) -> bytes:
    from pakta.pacts.rendering import render_pdf, tanggal_id

    case = sanction.case
    context = _common(case, document) | {
        "sanction": sanction,
        "signer": sanction.decided_by,
        "signer_title": position.title if position else "",
        "decision_date": tanggal_id(sanction.decision_date),
        "start": tanggal_id(sanction.start_date),
        "end": tanggal_id(sanction.end_date) if sanction.end_date else "",
        "date_text": tanggal_id(sanction.decision_date or timezone.localdate()),
    }
    return render_pdf("discipline/documents/decision.html", context)
