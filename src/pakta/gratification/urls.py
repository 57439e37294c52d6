"""Pages of gratification control (namespace ``gratification``), under ``p/<pemda>/gratification/``."""

from django.urls import path

from pakta.gratification import views

app_name = "gratification"

urlpatterns = [
    path("", views.MyReportsView.as_view(), name="mine"),
    path("new/", views.ReportCreateView.as_view(), name="create"),
    path("assess/", views.AssessView.as_view(), name="assess"),
    path("upg/", views.QueueView.as_view(), name="queue"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("reports/<int:pk>/complete/", views.CompleteView.as_view(), name="complete"),
    path("reports/<int:pk>/step/", views.StepView.as_view(), name="step"),
    path("reports/<int:pk>/custody/", views.CustodyReceiveView.as_view(), name="custody_receive"),
    path("reports/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("reports/<int:pk>/recap.pdf", views.RecapPdfView.as_view(), name="recap_pdf"),
    path("reports/<int:pk>/recap/sign/", views.RecapSignView.as_view(), name="recap_sign"),
    path("custody/", views.CustodyView.as_view(), name="custody"),
    path("custody/<int:pk>/release/", views.CustodyReleaseView.as_view(), name="custody_release"),
    path("givers/", views.GiversView.as_view(), name="givers"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("recap.xlsx", views.RecapXlsxView.as_view(), name="recap_xlsx"),
    path("quarterly/sign/", views.QuarterSignView.as_view(), name="quarter_sign"),
    path("quarterly.pdf", views.QuarterPdfView.as_view(), name="quarter_pdf"),
]
