"""The public page where an external witness signs a ceremony record (no login)."""

from django.urls import path

from pakta.pacts import ceremony_views

app_name = "witness"

urlpatterns = [
    path("saksi/<str:token>/", ceremony_views.WitnessSignView.as_view(), name="sign"),
    path(
        "saksi/<str:token>/berita-acara.pdf",
        ceremony_views.WitnessRecordPdfView.as_view(),
        name="pdf",
    ),
]
