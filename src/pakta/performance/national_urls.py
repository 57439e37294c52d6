from django.urls import path

from pakta.performance import dashboard_views as views
from pakta.performance.national_exports import NationalDashboardExportView

app_name = "performance_national"

urlpatterns = [
    path("nasional/kinerja/<int:year>/", views.NationalDashboardView.as_view(), name="dashboard"),
    path(
        "nasional/kinerja/<int:year>/export.<str:fmt>",
        NationalDashboardExportView.as_view(),
        name="export",
    ),
]
