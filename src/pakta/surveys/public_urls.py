"""The public answering page of the internal survey (namespace ``surveypublic``): no login."""

from django.urls import path

from pakta.surveys import views

app_name = "surveypublic"

urlpatterns = [
    path("survei/<str:token>/", views.survey_answer, name="answer"),
]
