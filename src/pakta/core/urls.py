from django.urls import path

from pakta.core import views

app_name = "core"

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("p/<slug:pemda>/setup/", views.SetupChecklistView.as_view(), name="setup"),
]
