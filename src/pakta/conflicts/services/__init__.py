"""Writes of the conflicts app, one module per workflow area (re-exported here)."""

from pakta.conflicts.services.decisions import (  # noqa: F401
    decision_create,
    decision_declare,
    decision_from_package,
    decision_mark_clean,
    decision_member_add,
    decision_recuse,
    decision_subject_add,
    missing_declarers,
)
from pakta.conflicts.services.declarations import (  # noqa: F401
    declaration_business_add,
    declaration_debt_gift_add,
    declaration_position_add,
    declaration_relative_add,
    declaration_section_none,
    declaration_start,
    declaration_submit,
)
from pakta.conflicts.services.procurement import (  # noqa: F401
    procurement_screen_against_declarations,
)
from pakta.conflicts.services.review import (  # noqa: F401
    finding_confirm,
    finding_dismiss,
    finding_request_correction,
)
from pakta.conflicts.services.screening import screen_decision, screen_declaration  # noqa: F401
