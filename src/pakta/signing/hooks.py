"""What the app that owns a kind of document does for the signing worker.

``signing`` sits below the domain apps and imports none of them. A consented signature is
applied by a task (``signing.tasks``) that knows only the ``PendingSignature`` row; the app whose
documents they are (``pacts``: the Pakta Integritas) registers from its ``ready()``:

- ``render(document)``: the PDF of a document reserved without one (the pact is rendered by the
  worker, not in the signer's request);
- ``signed(signature, actor)``: what follows a signature (the pact becomes signed, the document
  complete), called by ``signing.services`` inside the transaction that records the signature,
  whichever path applied it (the request, the worker, the timestamp retry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pakta.signing.models import Signature, SignedDocument


class _Render(Protocol):
    def __call__(self, document: SignedDocument) -> bytes: ...


class _Signed(Protocol):
    def __call__(self, signature: Signature, actor: Any) -> object: ...


@dataclass(frozen=True)
class DocumentKindHook:
    render: _Render | None = None
    signed: _Signed | None = None


HOOKS: dict[str, DocumentKindHook] = {}


def register_document_kind(kind: str, hook: DocumentKindHook) -> None:
    HOOKS[kind] = hook


def hook_for(kind: str) -> DocumentKindHook:
    return HOOKS.get(kind, DocumentKindHook())
