"""Users, linked to officials, and the roles they hold in each Pemda."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from pakta.core.models import BaseModel
from pakta.core.roles import REQUESTABLE_ROLE_CHOICES, TWO_FACTOR_ROLES, Role


class User(AbstractUser):
    """A person who logs in. ``is_superuser`` is the superadmin across all Pemda."""

    official = models.OneToOneField(
        "org.Official",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        verbose_name=_("official"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def needs_two_factor(self) -> bool:
        if self.is_superuser:
            return True
        from pakta.core.permissions import roles_everywhere

        # Every role at once: the page's own permission checks then ask no more.
        return bool(roles_everywhere(self) & set(TWO_FACTOR_ROLES))


class Membership(BaseModel):
    """A role held by a user in one Pemda; Kepala OPD is held for a unit (and its sub-units)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    pemda = models.ForeignKey(
        "org.Pemda", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Pemda")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "pemda", "role", "unit"], name="accounts_membership_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.KEPALA_OPD) | models.Q(unit__isnull=False),
                name="accounts_membership_kepala_opd_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.pemda})"


class RoleRequest(BaseModel):
    """A request to grant a role that reads integrity reports (or the custody of the escrow
    key), approved by a second person: the head of the Inspektorat or the superadmin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    pemda = models.ForeignKey("org.Pemda", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=REQUESTABLE_ROLE_CHOICES)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # An approved escrow-holder request is used once, when its holder turns the key on.
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["-created_at"]
