"""Public and national pages of discipline figures (namespace ``discipline_public``)."""

from django.urls import path

from pakta.discipline import report_views

app_name = "discipline_public"

urlpatterns = [
    path("nasional/disiplin/", report_views.NationalView.as_view(), name="national"),
    path("publik/<slug:pemda>/disiplin/", report_views.PublicView.as_view(), name="public"),
]
