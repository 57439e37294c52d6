"""The public page of a Pemda's procurement red flags (namespace ``procurement_public``)."""

from django.urls import path

from pakta.procurement import views

app_name = "procurement_public"

urlpatterns = [
    path("pengadaan/<slug:pemda>/", views.PublicPemdaView.as_view(), name="pemda"),
]
