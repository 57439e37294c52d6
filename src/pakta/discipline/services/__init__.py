"""Writes of the discipline app: opening a case (cases.py) and one service per step of the
PP 94/2021 procedure (procedure.py). Each checks its guard, changes, and records one audit event;
a refusal raises DisciplineError (a DomainError naming the field) and writes nothing."""

from pakta.discipline.services.cases import (
    DisciplineError,
    authority_officials,
    case_open,
    case_viewed,
)
from pakta.discipline.services.procedure import (
    bap_sign,
    case_close,
    case_decide,
    case_escalate,
    case_finalise,
    decision_deliver,
    examination_record,
    objection_decide,
    objection_file,
    summons_absent,
    summons_issue,
    team_form,
)

__all__ = [
    "DisciplineError",
    "authority_officials",
    "bap_sign",
    "case_close",
    "case_decide",
    "case_escalate",
    "case_finalise",
    "case_open",
    "case_viewed",
    "decision_deliver",
    "examination_record",
    "objection_decide",
    "objection_file",
    "summons_absent",
    "summons_issue",
    "team_form",
]
