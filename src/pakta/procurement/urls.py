"""Pages of procurement red flags (namespace ``procurement``), under ``p/<slug:pemda>/procurement/``."""

from django.urls import path

from pakta.procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("packages/", views.PackageListView.as_view(), name="package_list"),
    path("packages.xlsx", views.PackageXlsxView.as_view(), name="package_xlsx"),
    path("packages/<int:pk>/", views.PackageDetailView.as_view(), name="package_detail"),
    path("packages/<int:pk>/case/", views.CaseOpenView.as_view(), name="case_open"),
    path("parties/<int:pk>/", views.PartyDetailView.as_view(), name="party_detail"),
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
]
