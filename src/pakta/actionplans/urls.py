"""Pages of action plans (namespace ``actionplans``), included under ``p/<slug:pemda>/actionplans/``."""

from django.urls import path

from pakta.actionplans import views

app_name = "actionplans"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("progress/", views.ProgressView.as_view(), name="progress"),
    path("mine/", views.MyItemsView.as_view(), name="my_items"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("plans/<int:pk>/draft/", views.LibraryDraftView.as_view(), name="library_draft"),
    path("plans/<int:pk>/report.xlsx", views.ReportXlsxView.as_view(), name="report_xlsx"),
    path("plans/<int:pk>/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("plans/<int:pk>/report/sign/", views.ReportSignView.as_view(), name="report_sign"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/progress/", views.ItemProgressView.as_view(), name="item_progress"),
    path("items/<int:pk>/verify/", views.ItemVerifyView.as_view(), name="item_verify"),
    path("items/<int:pk>/evidence/", views.EvidenceDownloadView.as_view(), name="evidence"),
]
