"""The roles a user can hold in a Pemda, and which of them must use two-factor login."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    INSPEKTORAT = "inspektorat", _("Inspektorat (APIP)")
    UPG = "upg", _("UPG (gratification control unit)")
    PIMPINAN = "pimpinan", _("Pimpinan (regional head or deputy)")
    KEPALA_OPD = "kepala_opd", _("Kepala OPD")
    PEGAWAI = "pegawai", _("Pegawai (employee)")


TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.INSPEKTORAT, Role.UPG, Role.PIMPINAN})
# Roles that receive the keys of integrity reports: granted by two people (docs/permissions.md).
REPORT_READING_ROLES = frozenset({Role.INSPEKTORAT})
# Not a role a user holds in the menu: the custody of the Pemda's report escrow key, whose
# private half opens every report sealed to it. Requested and approved like a report-reading
# role (``accounts.RoleRequest``); the approved holder turns the key on once.
ESCROW_HOLDER = "escrow"
REQUESTABLE_ROLE_CHOICES = [*Role.choices, (ESCROW_HOLDER, _("Escrow key holder"))]
