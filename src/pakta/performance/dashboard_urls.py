from django.urls import path

from pakta.performance import dashboard_views as views

app_name = "performance_dashboard"

urlpatterns = [
    path("", views.PemdaDashboardView.as_view(), name="pemda"),
    path("heatmap.xlsx", views.DashboardExportView.as_view(part="heatmap"), name="export_heatmap"),
    path("trend.xlsx", views.DashboardExportView.as_view(part="trend"), name="export_trend"),
    path(
        "below-target.xlsx",
        views.DashboardExportView.as_view(part="below_target"),
        name="export_below_target",
    ),
    path(
        "not-signed.xlsx",
        views.DashboardExportView.as_view(part="not_signed"),
        name="export_not_signed",
    ),
    path("units/<int:pk>/", views.UnitDashboardView.as_view(), name="unit"),
    path(
        "units/<int:pk>/achievement.xlsx",
        views.UnitDashboardExportView.as_view(part="heatmap"),
        name="unit_export",
    ),
    path(
        "units/<int:pk>/below-target.xlsx",
        views.UnitDashboardExportView.as_view(part="below_target"),
        name="unit_export_below_target",
    ),
]
