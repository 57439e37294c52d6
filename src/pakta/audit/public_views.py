"""The public face of the transparency log: /transparansi/ and its machine-readable endpoints.

No login and nothing recorded about the visitor. Checkpoints and the key are plain text in the
C2SP formats; proofs are JSON with hashes in base64, as in the checkpoints.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pakta.audit import log
from pakta.audit.checkpoints import checkpoint_at_size, latest_checkpoint, log_verifier


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _number(request: HttpRequest, name: str, default: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        if default is None:
            raise log.LogError(_("The parameter %(name)s is missing.") % {"name": name})
        return default
    if not raw.isdigit() or len(raw) > 18:
        raise log.LogError(
            _("The parameter %(name)s must be a whole number, not %(value)r.")
            % {"name": name, "value": raw[:30]}
        )
    return int(raw)


@require_http_methods(["GET"])
def transparency_home(request: HttpRequest) -> HttpResponse:
    checkpoint = latest_checkpoint()
    return render(
        request,
        "audit/transparency.html",
        {
            "checkpoint": checkpoint,
            "verifier": str(log_verifier()),
            "tree_size": log.tree_size(),
        },
    )


@require_http_methods(["GET"])
def checkpoint_latest(request: HttpRequest) -> HttpResponse:
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        return _text(_("No checkpoint has been signed yet.") + "\n", status=404)
    return _text(checkpoint.note)


@require_http_methods(["GET"])
def checkpoint_at(request: HttpRequest, size: int) -> HttpResponse:
    checkpoint = checkpoint_at_size(size)
    if checkpoint is None:
        return _text(_("No checkpoint was signed at this tree size.") + "\n", status=404)
    return _text(checkpoint.note)


@require_http_methods(["GET"])
def log_key(request: HttpRequest) -> HttpResponse:
    return _text(f"{log_verifier()}\n")


def _default_size() -> int:
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        raise log.LogError(_("No checkpoint has been signed yet."))
    return checkpoint.size


@require_http_methods(["GET"])
def proof_inclusion(request: HttpRequest) -> JsonResponse:
    """?index=<leaf>&size=<tree size> (size defaults to the latest checkpoint's)."""
    try:
        index = _number(request, "index")
        size = _number(request, "size", default=-1)
        if size < 0:
            size = _default_size()
        proof = log.inclusion_proof(index, size)
    except log.LogError as error:
        return _error(str(error))
    body: dict[str, Any] = {
        "index": proof.index,
        "size": proof.size,
        "leaf_hash": _b64(proof.leaf_hash),
        "proof": [_b64(h) for h in proof.path],
    }
    return JsonResponse(body)


@require_http_methods(["GET"])
def proof_consistency(request: HttpRequest) -> JsonResponse:
    """?from=<old size>&to=<new size> (to defaults to the latest checkpoint's size)."""
    try:
        first = _number(request, "from")
        second = _number(request, "to", default=-1)
        if second < 0:
            second = _default_size()
        proof = log.consistency_proof(first, second)
    except log.LogError as error:
        return _error(str(error))
    return JsonResponse({"from": first, "to": second, "proof": [_b64(h) for h in proof]})
