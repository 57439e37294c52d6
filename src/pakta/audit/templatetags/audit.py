import base64
from typing import Any

from django import template

from pakta.audit import log
from pakta.audit.checkpoints import latest_checkpoint
from pakta.audit.registry import action_label

register = template.Library()
register.filter("action_label", action_label)


@register.inclusion_tag("audit/_document_proof.html")
def document_log_proof(document: Any) -> dict[str, Any]:
    """The document's leaf in the transparency log with its inclusion proof against the latest
    checkpoint (for the public /v/ page)."""
    leaf = log.document_leaf(document.pk)
    if leaf is None:
        return {"leaf": None}
    checkpoint = latest_checkpoint()
    context: dict[str, Any] = {"leaf": leaf, "leaf_index": leaf.seq - 1, "checkpoint": checkpoint}
    if checkpoint is not None and leaf.seq <= checkpoint.size:
        proof = log.inclusion_proof(leaf.seq - 1, checkpoint.size)
        context["proof"] = [base64.b64encode(h).decode() for h in proof.path] or ["—"]
    return context
