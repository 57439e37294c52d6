"""The public summary page (namespace ``gratification_public``), under ``publik/<pemda>/gratifikasi/``."""

from django.urls import path

from pakta.gratification import views

app_name = "gratification_public"

urlpatterns = [path("", views.public_summary, name="summary")]
