from django.urls import path

from pakta.signing import views

app_name = "signing"

urlpatterns = [
    path("signing/crl.der", views.crl, name="crl"),
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
