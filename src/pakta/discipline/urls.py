"""Pages of discipline cases (namespace ``discipline``), under ``p/<slug:pemda>/discipline/``."""

from django.urls import path

from pakta.discipline import report_views, views

app_name = "discipline"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("new/", views.CaseCreateView.as_view(), name="case_create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/summons/", views.SummonsView.as_view(), name="summons"),
    path("cases/<int:pk>/absent/", views.AbsentView.as_view(), name="absent"),
    path("cases/<int:pk>/team/", views.TeamView.as_view(), name="team"),
    path("cases/<int:pk>/examination/", views.ExaminationView.as_view(), name="examination"),
    path("cases/<int:pk>/bap/sign/", views.BapSignView.as_view(), name="bap_sign"),
    path("cases/<int:pk>/decide/", views.DecisionView.as_view(), name="decide"),
    path("cases/<int:pk>/deliver/", views.DeliveryView.as_view(), name="deliver"),
    path("cases/<int:pk>/objection/", views.ObjectionView.as_view(), name="objection"),
    path(
        "cases/<int:pk>/objection/decide/",
        views.ObjectionDecisionView.as_view(),
        name="objection_decide",
    ),
    path("cases/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("cases/<int:pk>/bap.pdf", views.BapPdfView.as_view(), name="bap_pdf"),
    path("sanctions/<int:pk>/decision.pdf", views.DecisionPdfView.as_view(), name="decision_pdf"),
    path("reports/", report_views.StatsView.as_view(), name="stats"),
    path("siasn.xlsx", report_views.SiasnXlsxView.as_view(), name="siasn_xlsx"),
    path("siasn.json", report_views.SiasnJsonView.as_view(), name="siasn_json"),
    path("siasn.zip", report_views.SiasnZipView.as_view(), name="siasn_zip"),
    path("pacts/<int:pk>/", report_views.PactCasesView.as_view(), name="pact_cases"),
]
