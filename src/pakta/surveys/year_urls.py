"""Survey years and their thresholds, for the superadmin (namespace ``surveyyears``)."""

from django.urls import path

from pakta.surveys import views

app_name = "surveyyears"

urlpatterns = [
    path("", views.SurveyYearListView.as_view(), name="list"),
    path("new/", views.SurveyYearFormView.as_view(), name="create"),
    path("<int:year>/", views.SurveyYearFormView.as_view(), name="update"),
]
