from django.urls import path

from pakta.portal import views

app_name = "portal"

urlpatterns = [
    path("v/", views.verify_home, name="verify_home"),
    path("v/check/", views.verify_upload, name="verify_upload"),
    path("v/<str:token>", views.verify_document, name="verify"),
    path("publik/<slug:pemda>/pakta/", views.transparency, name="transparency"),
]
