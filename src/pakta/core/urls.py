from django.urls import path

from pakta.core import views

app_name = "core"

urlpatterns = [
    path("p/<slug:pemda>/setup/", views.SetupChecklistView.as_view(), name="setup"),
]
