"""The kiosk of a ceremony: the only pages a browser in kiosk mode reaches."""

from django.urls import path

from pakta.pacts import kiosk_views

app_name = "kiosk"

urlpatterns = [
    path("kiosk/", kiosk_views.KioskView.as_view(), name="home"),
    path("kiosk/selesai/", kiosk_views.KioskDoneView.as_view(), name="done"),
    path("kiosk/keluar/", kiosk_views.KioskCloseView.as_view(), name="close"),
]
