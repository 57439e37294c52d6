from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularJSONAPIView

from pakta.accounts import views as account_views
from pakta.core import views as core_views
from pakta.core.api_docs import ApiDocsView

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("pakta.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("pakta.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("pakta.org.urls")),
    path("", include("pakta.accounts.tenant_urls")),
    path("", include("pakta.audit.urls")),
    path("", include("pakta.audit.public_urls")),
    path("", include("pakta.pacts.urls")),
    path("", include("pakta.pacts.witness_urls")),
    path("", include("pakta.pacts.kiosk_urls")),
    path("", include("pakta.signing.urls")),
    path("", include("pakta.portal.urls")),
    path("", include("pakta.signing.letter_urls")),
    path("p/<slug:pemda>/pacts/", include("pakta.pacts.report_urls")),
    path(
        "p/<slug:pemda>/performance/dashboard/",
        include("pakta.performance.dashboard_urls", namespace="performance_dashboard"),
    ),
    path("p/<slug:pemda>/performance/", include("pakta.performance.urls", namespace="performance")),
    path("", include("pakta.performance.national_urls", namespace="performance_national")),
    path("", include("pakta.notifications.urls")),
    path("p/<slug:pemda>/reports/", include("pakta.reports.urls")),
    path("lapor/", include("pakta.reports.public_urls")),
    path("p/<slug:pemda>/surveys/", include("pakta.surveys.urls", namespace="surveys")),
    path("p/<slug:pemda>/actionplans/", include("pakta.actionplans.urls", namespace="actionplans")),
    path("p/<slug:pemda>/gratification/", include("pakta.gratification.urls")),
    path("publik/<slug:pemda>/gratifikasi/", include("pakta.gratification.public_urls")),
    path("gratification-rules/", include("pakta.gratification.rule_urls")),
    path("p/<slug:pemda>/conflicts/", include("pakta.conflicts.urls", namespace="conflicts")),
    path("", include("pakta.conflicts.public_urls", namespace="conflicts_public")),
    path("p/<slug:pemda>/procurement/", include("pakta.procurement.urls", namespace="procurement")),
    path("", include("pakta.procurement.public_urls", namespace="procurement_public")),
    path("p/<slug:pemda>/discipline/", include("pakta.discipline.urls", namespace="discipline")),
    path("", include("pakta.discipline.public_urls", namespace="discipline_public")),
    path("survey-years/", include("pakta.surveys.year_urls", namespace="surveyyears")),
    path("", include("pakta.surveys.public_urls", namespace="surveypublic")),
    path("api/v1/", include("pakta.api_urls")),
    path("api/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("api/docs/", ApiDocsView.as_view(url_name="openapi"), name="api_docs"),
]

# Translated Pakta pages instead of Django's (whenever debug is off; the CSRF page always).
handler400 = "pakta.core.views.bad_request"
handler403 = "pakta.core.views.permission_denied"
handler404 = "pakta.core.views.page_not_found"
handler500 = "pakta.core.views.server_error"
