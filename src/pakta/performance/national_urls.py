from django.urls import path

from pakta.performance import dashboard_views as views

app_name = "performance_national"

urlpatterns = [
    path("nasional/kinerja/<int:year>/", views.NationalDashboardView.as_view(), name="dashboard"),
]
