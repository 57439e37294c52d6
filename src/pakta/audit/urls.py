from django.urls import path

from pakta.audit import views

app_name = "audit"

urlpatterns = [
    path("p/<slug:pemda>/audit/", views.AuditEventListView.as_view(), name="event_list"),
]
