"""Perjanjian Kinerja: every write, one service per workflow edge, each with an audit event.

One module per workflow area (docs/directory-map.md): base (who is who, settings, the
shared guards), rollups (the aggregates dashboards read, kept in the same transaction),
agreements (create, submit, review), content (goals, indicators, targets while draft),
signatures, revisions (PK Perubahan), realizations, reminders. Callers import the
services from this package.
"""

from pakta.performance.services.agreements import (  # noqa: F401
    agreement_approve,
    agreement_create,
    agreement_return,
    agreement_submit,
)
from pakta.performance.services.base import (  # noqa: F401
    EVIDENCE_EXTENSIONS,
    Agreement,
    Status,
    agreement_due_days,
    budget_calendar_set,
    due_date_for,
    evidence_max_bytes,
    is_manager,
    realization_deadline_days,
    superior_for,
)
from pakta.performance.services.content import (  # noqa: F401
    TargetInput,
    goal_add,
    goal_delete,
    goal_update,
    indicator_add,
    indicator_cascade,
    indicator_delete,
    indicator_update,
    programme_add,
    programme_delete,
    programme_update,
)
from pakta.performance.services.realizations import (  # noqa: F401
    EvidenceUpload,
    quarter_bounds,
    realization_deadline,
    realization_return,
    realization_submit,
    realization_verify,
)
from pakta.performance.services.reminders import (  # noqa: F401
    agreements_remind,
)
from pakta.performance.services.revisions import (  # noqa: F401
    agreement_revise,
)
from pakta.performance.services.rollups import aggregates_rebuild  # noqa: F401
from pakta.performance.services.signatures import (  # noqa: F401
    agreement_document,
    agreement_sign_first_party,
    agreement_sign_second_party,
)
