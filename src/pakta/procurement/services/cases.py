"""The Inspektorat's case on a package: opened on a flagged package, questions to the procuring
unit, answers, evidence, and a finding that closes it. Every step is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.documents import document_store
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission
from pakta.procurement.models import Case, CaseEntry, Package

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _guard(user: Any, package: Package) -> None:
    if not has_permission(user, package.pemda, "procurement.examine"):
        raise PermissionDeniedError(_("Only the Inspektorat examines procurement packages."))


@transaction.atomic
def case_open(*, package: Package, acting_user: Any) -> Case:
    _guard(acting_user, package)
    if Case.objects.filter(package=package).exists():
        raise DomainError(_("This package already has a case."))
    case = Case.objects.create(pemda=package.pemda, package=package, opened_by=acting_user)
    audit_record(
        actor=acting_user,
        action="procurement.case_open",
        obj=case,
        summary={"package": package.pk, "risk_score": package.risk_score},
    )
    return case


@transaction.atomic
def case_entry_add(
    *,
    case: Case,
    acting_user: Any,
    kind: str,
    text: str,
    file_name: str = "",
    content: bytes | None = None,
    content_type: str = "application/octet-stream",
) -> CaseEntry:
    """A question to the procuring unit, its answer, or a piece of evidence (with a file)."""
    _guard(acting_user, case.package)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise DomainError(_("The case is closed."))
    if kind not in CaseEntry.Kind.values:
        raise DomainError(_("Choose whether this is a question, an answer or evidence."))
    if not text.strip():
        raise DomainError(_("Write the question, the answer or what the evidence shows."))
    if kind == CaseEntry.Kind.EVIDENCE and not content:
        raise DomainError(_("Attach the evidence file."))
    if content is not None and len(content) > MAX_EVIDENCE_BYTES:
        raise DomainError(_("The file is larger than 20 MB."))
    document = (
        document_store(content=content, content_type=content_type, original_name=file_name[:255])
        if content
        else None
    )
    entry = CaseEntry.objects.create(
        pemda=case.pemda,
        case=case,
        kind=kind,
        text=text.strip(),
        document=document,
        author=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="procurement.case_entry",
        obj=entry,
        summary={"case": case.pk, "kind": kind, "sha256": document.sha256 if document else ""},
    )
    return entry


@transaction.atomic
def case_close(*, case: Case, acting_user: Any, finding: str, conclusion: str) -> Case:
    _guard(acting_user, case.package)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise DomainError(_("The case is closed."))
    if finding not in Case.Finding.values:
        raise DomainError(
            _("Choose the finding: no issue, administrative fix or referral to APIP audit.")
        )
    if not conclusion.strip():
        raise DomainError(_("Write the conclusion of the examination."))
    case.status = Case.Status.CLOSED
    case.finding = finding
    case.conclusion = conclusion.strip()
    case.closed_at = timezone.now()
    case.save()
    audit_record(
        actor=acting_user, action="procurement.case_close", obj=case, summary={"finding": finding}
    )
    return case
