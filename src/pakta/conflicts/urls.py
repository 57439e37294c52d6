"""Pages of conflict-of-interest declarations, included under ``p/<slug:pemda>/conflicts/``."""

from django.urls import path

from pakta.conflicts import views

app_name = "conflicts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("declarations/start/", views.StartView.as_view(), name="declaration_start"),
    path(
        "declarations/<int:pk>/", views.DeclarationDetailView.as_view(), name="declaration_detail"
    ),
    path("declarations/<int:pk>/relatives/", views.RelativeAddView.as_view(), name="relative_add"),
    path("declarations/<int:pk>/businesses/", views.BusinessAddView.as_view(), name="business_add"),
    path("declarations/<int:pk>/positions/", views.PositionAddView.as_view(), name="position_add"),
    path(
        "declarations/<int:pk>/debts-gifts/", views.DebtGiftAddView.as_view(), name="debt_gift_add"
    ),
    path("declarations/<int:pk>/none/", views.SectionNoneView.as_view(), name="section_none"),
    path("declarations/<int:pk>/submit/", views.SubmitView.as_view(), name="declaration_submit"),
    path("declarations/<int:pk>/pdf/", views.DeclarationPdfView.as_view(), name="declaration_pdf"),
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path(
        "decisions/from-package/<int:pk>/",
        views.FromPackageView.as_view(),
        name="decision_from_package",
    ),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/members/", views.MemberAddView.as_view(), name="member_add"),
    path("decisions/<int:pk>/subjects/", views.SubjectAddView.as_view(), name="subject_add"),
    path("decisions/<int:pk>/recusal/", views.RecusalView.as_view(), name="recusal"),
    path("decisions/<int:pk>/clean/", views.CleanView.as_view(), name="decision_clean"),
    path("decisions/<int:pk>/declare/", views.DeclareView.as_view(), name="declare"),
    path("review/", views.QueueView.as_view(), name="queue"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("reports/", views.ReportView.as_view(), name="report"),
    path("reports/export.xlsx", views.ReportXlsxView.as_view(), name="report_xlsx"),
]
