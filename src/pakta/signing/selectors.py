"""Reads of signing identities, scoped to one Pemda: its officials' certificates and its seal."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from pakta.org.models import Pemda
from pakta.signing.models import SigningIdentity, documents_with_state

__all__ = ["documents_with_state", "identity_get_for", "identity_list_for", "seal_list_for"]


def identity_list_for(*, pemda: Pemda, search: str = "") -> QuerySet[SigningIdentity]:
    """The certificates of a Pemda's officials, newest first within each official."""
    qs = SigningIdentity.objects.filter(
        pemda=pemda, kind=SigningIdentity.Kind.PERSON
    ).select_related("official")
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(official__nip__startswith=search.replace(" ", ""))
            | Q(official__name__icontains=search)
        )
    return qs.order_by("official__name", "official_id", "-created_at")


def seal_list_for(*, pemda: Pemda) -> QuerySet[SigningIdentity]:
    """The organisational e-seals of a Pemda's Inspektorat, newest first."""
    return SigningIdentity.objects.filter(
        pemda=pemda, kind=SigningIdentity.Kind.ORGANISATION
    ).order_by("-created_at")


def identity_get_for(*, pemda: Pemda, pk: int) -> SigningIdentity:
    """One certificate of the Pemda, an official's or its seal (404 for another Pemda's)."""
    return get_object_or_404(
        SigningIdentity.objects.filter(pemda=pemda).select_related("official"), pk=pk
    )
