"""Writes of gratification reports: filing (by the recipient, or by the UPG on their behalf) and
the UPG's workflow, one service per step, each guarded on the current status:

    submitted ─┬─ returned (incomplete) ── completed ─┐   (20 working days, else not_processed)
               └───────────── verified ───────────────┴─ analysis ─┬─ forwarded (KPK) ─┐
                                                                   └─ internal (UPG) ──┴─ decided ─ closed

Every refusal raises ``DomainError`` before anything is written; every step is audited.
"""

from pakta.gratification.services.common import (
    EVIDENCE_EXTENSIONS,
    UploadedFile,
    _lock,
    _require_manage,
    _step,
    appointment_date,
    store_files,
)
from pakta.gratification.services.filing import report_file, settings_set
from pakta.gratification.services.rules_admin import rule_add
from pakta.gratification.services.workflow import (
    EXECUTIONS,
    report_analyse,
    report_complete,
    report_decide,
    report_execute,
    report_forward,
    report_kpk_number,
    report_return,
    report_verify,
    reports_expire,
)

__all__ = [
    "EVIDENCE_EXTENSIONS",
    "EXECUTIONS",
    "UploadedFile",
    "_lock",
    "_require_manage",
    "_step",
    "appointment_date",
    "report_analyse",
    "report_complete",
    "report_decide",
    "report_execute",
    "report_file",
    "report_forward",
    "report_kpk_number",
    "report_return",
    "report_verify",
    "reports_expire",
    "rule_add",
    "settings_set",
    "store_files",
]
