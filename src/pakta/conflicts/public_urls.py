"""The public page of counts per Pemda (no login, no names)."""

from django.urls import path

from pakta.conflicts import views

app_name = "conflicts_public"

urlpatterns = [
    path("publik/<slug:pemda>/benturan-kepentingan/", views.PublicView.as_view(), name="counts"),
]
