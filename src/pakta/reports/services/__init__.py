"""Confidential reporting: every write, one module per workflow area (docs/directory-map.md).

base (the workflow edges, limits), recipients (who may receive a report, sealing to their
keys, notifying them), intake (filing a report with its attachments), reporter (what the
reporter does with the receipt code), access (handlers' keys and grants), handling (the
case: stages, messages, links, recusal), deadline_alerts and acknowledgement (the signed
receipt). Callers import the services from this package.

Audit events hold ids, stages and counts only: never report text, names, file names or codes.
Services that need a report's content take the acting handler's unwrapped private key
(``private_key``, from the handler's session); a handler the report was not sealed to cannot
read it, and cannot write to it either (messages are encrypted with the report key).
"""

from pakta.reports.services.access import (  # noqa: F401
    report_assign,
    report_key_for,
    report_recuse,
    report_share,
)
from pakta.reports.services.acknowledgement import (  # noqa: F401
    report_acknowledgement,
)
from pakta.reports.services.base import (  # noqa: F401
    CIPHERTEXT,
    MAX_TEXT,
    TRANSITIONS,
    Stage,
    Submission,
)
from pakta.reports.services.deadline_alerts import (  # noqa: F401
    report_deadline_alerts_send,
)
from pakta.reports.services.handling import (  # noqa: F401
    OpenedReport,
    report_attachment_read,
    report_identity_reveal,
    report_link,
    report_message_add,
    report_open,
    report_reporter_view,
    report_transition,
    reporter_attachment_read,
)
from pakta.reports.services.intake import (  # noqa: F401
    content_bytes,
    report_submit,
)
from pakta.reports.services.recipients import (  # noqa: F401
    eligible_handler_keys,
    excluded_handlers,
    handler_keys_of,
)
from pakta.reports.services.reporter import (  # noqa: F401
    report_identity_disclose,
    report_reporter_message,
    reporter_login,
)
