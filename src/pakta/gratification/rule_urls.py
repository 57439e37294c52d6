"""The dated rules page (namespace ``gratification_rules``), superadmin only, at ``gratification-rules/``."""

from django.urls import path

from pakta.gratification import views

app_name = "gratification_rules"

urlpatterns = [path("", views.RulesView.as_view(), name="rules")]
