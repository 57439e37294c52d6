"""Base models shared by every app, and the content-addressed document store's index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TenantModel(BaseModel):
    """A row owned by one Pemda. Every query on it goes through a scope that names the Pemda."""

    pemda = models.ForeignKey("org.Pemda", on_delete=models.PROTECT, verbose_name=_("Pemda"))

    class Meta:
        abstract = True


class Document(models.Model):
    """A file in the document store, addressed by the SHA-256 of its content; never changed."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=150)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name or self.sha256

    @property
    def storage_name(self) -> str:
        return f"documents/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"
