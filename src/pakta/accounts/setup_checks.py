"""Setup checks of accounts and roles: the UPG (``pakta.core.setup``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pakta.accounts.models import Membership
from pakta.core.roles import Role
from pakta.core.setup import SetupItem, register_check
from pakta.org.models import Pemda


@register_check(40)
def upg_assigned(pemda: Pemda) -> SetupItem:
    return SetupItem(
        label=_("At least one user holds the UPG role"),
        ok=Membership.objects.filter(pemda=pemda, role=Role.UPG).exists(),
        needed_for=_("Gratification control: the UPG receives and reviews gratification reports"),
        todo=_("Give the UPG role to the officials of the gratification control unit."),
        link=reverse("users:user_list", kwargs={"pemda": pemda.slug}),
    )
