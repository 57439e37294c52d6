"""After a signing event: the booklet, the compliance sheet and reminders (namespace ``pactreports``).

Included under ``p/<slug:pemda>/pacts/`` by ``pakta.urls``.
"""

from django.urls import path

from pakta.pacts import report_views as views

app_name = "pactreports"

urlpatterns = [
    path("compliance/", views.ComplianceReportView.as_view(), name="compliance"),
    path(
        "compliance/unsigned/",
        views.ComplianceUnsignedView.as_view(),
        name="compliance_unsigned",
    ),
    path("compliance/export.xlsx", views.ComplianceExportView.as_view(), name="compliance_export"),
    path("compliance/remind/", views.ComplianceRemindView.as_view(), name="compliance_remind"),
    path("events/<int:pk>/report/", views.EventReportView.as_view(), name="event_report"),
    path(
        "events/<int:pk>/compliance.xlsx",
        views.EventComplianceExportView.as_view(),
        name="event_compliance_export",
    ),
    path("events/<int:pk>/remind/", views.EventRemindView.as_view(), name="event_remind"),
    path("events/<int:pk>/booklet/", views.BookletStartView.as_view(), name="booklet_start"),
    path("booklets/<int:pk>/", views.BookletDetailView.as_view(), name="booklet_detail"),
    path(
        "booklets/<int:pk>/download/",
        views.BookletDownloadView.as_view(),
        name="booklet_download",
    ),
]
