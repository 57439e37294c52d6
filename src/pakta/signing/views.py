"""Administration of signing certificates, and the public CRL."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from pakta.core.forms import ServiceFormView
from pakta.core.mixins import PemdaPermissionMixin
from pakta.signing import pki, selectors, services
from pakta.signing.forms import IdentityImportForm, OfficialNipForm, RevokeForm
from pakta.signing.models import SigningIdentity


class IdentityListView(PemdaPermissionMixin, TemplateView):
    """The certificates of the Pemda's officials and its Inspektorat's e-seal, with their validity
    and revocation."""

    permission = "signing.manage"
    template_name = "signing/identity_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        search = self.request.GET.get("q", "")
        identities = selectors.identity_list_for(pemda=self.pemda, search=search)
        page = Paginator(identities, 50).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            identities=page.object_list,
            seals=selectors.seal_list_for(pemda=self.pemda),
            seal_name=services.seal_name(self.pemda),
            q=search,
            now=timezone.now(),
        )
        return context


class IdentityFormView(PemdaPermissionMixin, ServiceFormView):
    permission = "signing.manage"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {**super().get_form_kwargs(), "pemda": self.pemda}
        if self.request.method == "GET" and self.request.GET.get("nip"):
            kwargs["initial"] = {"nip": self.request.GET["nip"]}
        return kwargs

    def get_success_url_for(self, obj: SigningIdentity) -> str:
        url = reverse("signing:identity_list", kwargs={"pemda": self.pemda.slug})
        return f"{url}?{urlencode({'q': obj.official.nip if obj.official else ''})}"


class IdentityIssueView(IdentityFormView):
    form_class = OfficialNipForm
    title = _("Issue a signing certificate")
    success_message = _("The certificate has been issued by this deployment's CA.")

    def perform(self, form: OfficialNipForm) -> SigningIdentity:
        return services.identity_issue(
            official=form.cleaned_data["nip"], acting_user=self.request.user
        )


class IdentityImportView(IdentityFormView):
    form_class = IdentityImportForm
    title = _("Import a PKCS#12 certificate")
    success_message = _("The certificate has been imported; its key is stored encrypted.")

    def perform(self, form: IdentityImportForm) -> SigningIdentity:
        return services.identity_import_pkcs12(
            official=form.cleaned_data["nip"],
            data=form.cleaned_data["file"],
            password=form.cleaned_data["password"],
            acting_user=self.request.user,
        )


class IdentityRevokeView(PemdaPermissionMixin, ServiceFormView):
    permission = "signing.manage"
    model = SigningIdentity
    form_class = RevokeForm
    template_name = "signing/identity_revoke.html"
    title = _("Revoke a certificate")
    success_message = _("The certificate has been revoked; it is listed in the CRL.")

    def get_identity(self) -> SigningIdentity:
        if not hasattr(self, "identity"):
            self.identity = selectors.identity_get_for(pemda=self.pemda, pk=self.kwargs["pk"])
        return self.identity

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["identity"] = self.get_identity()
        return context

    def perform(self, form: RevokeForm) -> SigningIdentity:
        return services.identity_revoke(
            identity=self.get_identity(),
            reason=form.cleaned_data["reason"],
            acting_user=self.request.user,
        )

    def get_success_url_for(self, obj: SigningIdentity) -> str:
        url = reverse("signing:identity_list", kwargs={"pemda": self.pemda.slug})
        if obj.official is None:  # the organisational e-seal
            return url
        return f"{url}?{urlencode({'q': obj.official.nip})}"


@require_GET
def ca_certificate(request: HttpRequest, fmt: str) -> HttpResponse:
    """The deployment CA's certificate, PEM or DER: the trust anchor for outside verifiers."""
    certificate = services.ca_certificate()
    if fmt == "pem":
        body = pki.cert_to_pem(certificate).encode()
        content_type = "application/x-pem-file"
    else:
        body = certificate.public_bytes(serialization.Encoding.DER)
        content_type = "application/pkix-cert"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="pakta-ca.{fmt}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def crl(request: HttpRequest) -> HttpResponse:
    """The deployment CA's certificate revocation list (DER), public: PDF readers fetch it."""
    response = HttpResponse(services.crl_der(), content_type="application/pkix-crl")
    response["Content-Disposition"] = 'inline; filename="crl.der"'
    response["Cache-Control"] = "public, max-age=300"
    return response
