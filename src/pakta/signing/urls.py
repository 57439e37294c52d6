from django.urls import path

from pakta.signing import views

app_name = "signing"

urlpatterns = [
    path("signing/crl.der", views.crl, name="crl"),
    path("signing/ca.pem", views.ca_certificate, {"fmt": "pem"}, name="ca_pem"),
    path("signing/ca.der", views.ca_certificate, {"fmt": "der"}, name="ca_der"),
    path(
        "p/<slug:pemda>/signing/identities/",
        views.IdentityListView.as_view(),
        name="identity_list",
    ),
    path(
        "p/<slug:pemda>/signing/identities/issue/",
        views.IdentityIssueView.as_view(),
        name="identity_issue",
    ),
    path(
        "p/<slug:pemda>/signing/identities/import/",
        views.IdentityImportView.as_view(),
        name="identity_import",
    ),
    path(
        "p/<slug:pemda>/signing/identities/<int:pk>/revoke/",
        views.IdentityRevokeView.as_view(),
        name="identity_revoke",
    ),
]
