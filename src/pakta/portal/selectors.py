"""Reads for the public portal: the signed pacts a Pemda publishes (documents: signing.verification).

Nothing here depends on who asks: a document's token (in its QR code) or short code (printed
on it) is what gives access to its verification page.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from pakta.org.models import Pemda
from pakta.pacts.models import Pact


def pemda_get_by_slug(slug: str) -> Pemda | None:
    return Pemda.objects.filter(slug=slug).first()


def public_pacts_for(*, pemda: Pemda, year: int | None = None) -> QuerySet[Pact]:
    """Signed pacts of a Pemda's leaders and OPD heads (documents listed publicly) for a year."""
    return (
        Pact.objects.filter(
            pemda=pemda,
            year=year or timezone.localdate().year,
            status=Pact.Status.SIGNED,
            document__is_public=True,
        )
        .select_related("official", "position", "unit", "document")
        .order_by("unit__name", "official__name", "pk")
    )
