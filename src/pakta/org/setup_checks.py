"""Setup checks of the organisation: the Inspektorat and its head (``pakta.core.setup``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.setup import SetupItem, register_check
from pakta.org.models import Pemda
from pakta.org.selectors import inspektorat_head_of, inspektorat_of


@register_check(10)
def inspektorat_unit(pemda: Pemda) -> SetupItem:
    return SetupItem(
        label=_("The Inspektorat is recorded as a unit of kind Inspektorat"),
        ok=inspektorat_of(pemda) is not None,
        needed_for=_("Integrity reports, verification of action plans"),
        todo=_(
            "Open the Inspektorat in the list of units, choose Edit and set its kind to "
            "Inspektorat."
        ),
        link=reverse("org:unit_list", kwargs={"pemda": pemda.slug}) + "?q=Inspektorat",
    )


@register_check(20)
def inspektorat_head(pemda: Pemda) -> SetupItem:
    return SetupItem(
        label=_("The head of the Inspektorat (Inspektur) is recorded"),
        ok=inspektorat_head_of(pemda) is not None,
        needed_for=_("Integrity reports: the Inspektorat is responsible for every report"),
        todo=_(
            "Give the Inspektur's position the mark 'head of the unit' and assign the official "
            "who holds it (or import the HR export with the Inspektur in it)."
        ),
        link=reverse("org:position_list", kwargs={"pemda": pemda.slug}) + "?q=Inspektur",
    )
