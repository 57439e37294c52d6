from django.urls import path

from pakta.performance import views

app_name = "performance"

A = "agreements/<int:pk>/"

urlpatterns = [
    path("", views.MyAgreementsView.as_view(), name="mine"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/export.xlsx", views.AgreementExportView.as_view(), name="agreement_export"),
    path("achievement.xlsx", views.AchievementExportView.as_view(), name="achievement_export"),
    path("template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("tree/", views.CascadeTreeView.as_view(), name="tree"),
    path("calendar/", views.BudgetCalendarView.as_view(), name="calendar"),
    path(A, views.AgreementDetailView.as_view(), name="agreement_detail"),
    path(f"{A}document.pdf", views.AgreementPdfView.as_view(), name="agreement_pdf"),
    path(f"{A}submit/", views.AgreementSubmitView.as_view(), name="agreement_submit"),
    path(f"{A}approve/", views.AgreementApproveView.as_view(), name="agreement_approve"),
    path(f"{A}return/", views.AgreementReturnView.as_view(), name="agreement_return"),
    path(f"{A}sign/", views.AgreementSignView.as_view(), name="agreement_sign"),
    path(f"{A}revise/", views.AgreementReviseView.as_view(), name="agreement_revise"),
    path(f"{A}goals/", views.GoalAddView.as_view(), name="goal_add"),
    path(f"{A}indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_add"),
    path(f"{A}programmes/", views.ProgrammeAddView.as_view(), name="programme_add"),
    path(f"{A}cascade/", views.AgreementCascadeView.as_view(), name="agreement_cascade"),
    path(f"{A}import/", views.AgreementImportView.as_view(), name="agreement_import"),
    path("goals/<int:pk>/", views.GoalEditView.as_view(), name="goal_edit"),
    path("indicators/<int:pk>/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path(
        "indicators/<int:pk>/realization/",
        views.RealizationSubmitView.as_view(),
        name="realization_submit",
    ),
    path("programmes/<int:pk>/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path(
        "realizations/<int:pk>/verify/",
        views.RealizationVerifyView.as_view(),
        name="realization_verify",
    ),
    path(
        "realizations/<int:pk>/return/",
        views.RealizationReturnView.as_view(),
        name="realization_return",
    ),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
]
