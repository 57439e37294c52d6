"""In-app messages to a user (reminders, finished background work)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user, rendered in the recipient's language when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    pemda = models.ForeignKey(
        "org.Pemda",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Pemda"),
    )
    message = models.CharField(_("message"), max_length=500)
    # The same message in English, shown to a reader whose interface is in English (the
    # message above is in the recipient's language, Indonesian by default).
    message_en = models.CharField(_("message in English"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Messages of one kind to one user in a burst are grouped into one notification ("40 pakta
    # menunggu tanda tangan Anda"): ``kind`` names the kind ("pacts.sign"), ``count`` how many
    # items it stands for, ``mailed_count`` how many of them an e-mail has already told of.
    kind = models.CharField(_("kind"), max_length=40, blank=True, default="")
    count = models.PositiveIntegerField(_("items"), default=1)
    mailed_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notifications_user_unread"),
            models.Index(fields=["user", "kind", "created_at"], name="notifications_user_kind"),
        ]

    def __str__(self) -> str:
        return self.message[:80]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
