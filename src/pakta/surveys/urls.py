"""Staff pages of the surveys app (namespace ``surveys``), included under ``p/<slug:pemda>/surveys/``."""

from django.urls import path

from pakta.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.SpiOverviewView.as_view(), name="home"),
    path("spi/new/", views.SpiResultCreateView.as_view(), name="result_create"),
    path("spi/import/", views.SpiImportView.as_view(), name="result_import"),
    path(
        "spi/import/template.<str:fmt>",
        views.SpiImportTemplateView.as_view(),
        name="import_template",
    ),
    path("spi/<int:pk>/", views.SpiResultDetailView.as_view(), name="result_detail"),
    path("spi/<int:pk>/edit/", views.SpiResultUpdateView.as_view(), name="result_update"),
    path("spi/<int:pk>/findings/", views.FindingCreateView.as_view(), name="finding_create"),
    path("questionnaires/", views.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path(
        "questionnaires/new/",
        views.QuestionnaireCreateView.as_view(),
        name="questionnaire_create",
    ),
    path(
        "questionnaires/<int:pk>/",
        views.QuestionnaireDetailView.as_view(),
        name="questionnaire_detail",
    ),
    path(
        "questionnaires/<int:pk>/edit/",
        views.QuestionnaireUpdateView.as_view(),
        name="questionnaire_update",
    ),
    path(
        "questionnaires/<int:pk>/publish/",
        views.QuestionnairePublishView.as_view(),
        name="questionnaire_publish",
    ),
    path(
        "questionnaires/<int:pk>/new-version/",
        views.QuestionnaireNewVersionView.as_view(),
        name="questionnaire_new_version",
    ),
    path("internal/", views.SurveyListView.as_view(), name="survey_list"),
    path("internal/new/", views.SurveyCreateView.as_view(), name="survey_create"),
    path("internal/<int:pk>/", views.SurveyDetailView.as_view(), name="survey_detail"),
    path("internal/<int:pk>/open/", views.SurveyOpenView.as_view(), name="survey_open"),
    path("internal/<int:pk>/close/", views.SurveyCloseView.as_view(), name="survey_close"),
    path("internal/<int:pk>/invite/", views.SurveyInviteView.as_view(), name="survey_invite"),
]
