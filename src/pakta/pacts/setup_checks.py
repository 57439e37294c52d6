"""Setup checks of the integrity pacts: a published template (``pakta.core.setup``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.core.setup import SetupItem, register_check
from pakta.org.models import Pemda
from pakta.pacts.models import PactTemplate


@register_check(50)
def pact_template(pemda: Pemda) -> SetupItem:
    return SetupItem(
        label=_("A pact template is published"),
        ok=PactTemplate.objects.filter(pemda=pemda, status=PactTemplate.Status.PUBLISHED).exists(),
        needed_for=_("Integrity pacts: every pact is made from the published template"),
        todo=_("Publish the standard template (or your own) under Pakta Integritas, Templates."),
        link=reverse("pacts:template_list", kwargs={"pemda": pemda.slug}),
    )
