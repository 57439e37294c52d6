from django.urls import path

from pakta.pacts import ceremony_views, kiosk_views, report_views, views

app_name = "pacts"

P = "p/<slug:pemda>/"

urlpatterns = [
    path(
        "nasional/pakta/<int:year>/",
        report_views.NationalComplianceView.as_view(),
        name="national_compliance",
    ),
    path(
        "nasional/pakta/<int:year>/export.<str:fmt>",
        report_views.NationalComplianceExportView.as_view(),
        name="national_compliance_export",
    ),
    path(f"{P}pacts/", views.PactListView.as_view(), name="pact_list"),
    path(f"{P}pacts/<int:pk>/", views.PactDetailView.as_view(), name="pact_detail"),
    path(f"{P}pacts/<int:pk>/excuse/", views.PactExcuseView.as_view(), name="pact_excuse"),
    path(f"{P}pacts/<int:pk>/withdraw/", views.PactWithdrawView.as_view(), name="pact_withdraw"),
    path(f"{P}pacts/<int:pk>/document.pdf", views.PactDownloadView.as_view(), name="pact_pdf"),
    path(f"{P}pacts/templates/", views.TemplateListView.as_view(), name="template_list"),
    path(f"{P}pacts/templates/new/", views.TemplateCreateView.as_view(), name="template_create"),
    path(
        f"{P}pacts/templates/<int:pk>/",
        views.TemplateDetailView.as_view(),
        name="template_detail",
    ),
    path(
        f"{P}pacts/templates/<int:pk>/edit/",
        views.TemplateUpdateView.as_view(),
        name="template_update",
    ),
    path(
        f"{P}pacts/templates/<int:pk>/publish/",
        views.TemplatePublishView.as_view(),
        name="template_publish",
    ),
    path(
        f"{P}pacts/templates/<int:pk>/new-version/",
        views.TemplateNewVersionView.as_view(),
        name="template_new_version",
    ),
    path(
        f"{P}pacts/templates/<int:pk>/preview.pdf",
        views.TemplatePreviewView.as_view(),
        name="template_preview",
    ),
    path(f"{P}pacts/events/", views.EventListView.as_view(), name="event_list"),
    path(f"{P}pacts/events/new/", views.EventCreateView.as_view(), name="event_create"),
    path(f"{P}pacts/events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path(
        f"{P}pacts/events/<int:pk>/participants/",
        views.EventParticipantsView.as_view(),
        name="event_participants",
    ),
    path(
        f"{P}pacts/events/<int:pk>/witnesses/",
        views.EventWitnessView.as_view(),
        name="event_witness",
    ),
    path(f"{P}pacts/events/<int:pk>/open/", views.EventOpenView.as_view(), name="event_open"),
    path(f"{P}pacts/events/<int:pk>/close/", views.EventCloseView.as_view(), name="event_close"),
    path(f"{P}pacts/events/<int:pk>/board/", views.EventBoardView.as_view(), name="event_board"),
    path(
        f"{P}pacts/events/<int:pk>/kiosk/", kiosk_views.EventKioskView.as_view(), name="event_kiosk"
    ),
    path(
        f"{P}pacts/events/<int:pk>/kiosk/pins/",
        kiosk_views.EventPinsView.as_view(),
        name="event_kiosk_pins",
    ),
    path(
        f"{P}pacts/events/<int:pk>/accounts/",
        kiosk_views.EventAccountsView.as_view(),
        name="event_accounts",
    ),
    path(
        f"{P}pacts/events/<int:pk>/record/",
        ceremony_views.EventRecordView.as_view(),
        name="event_record",
    ),
    path(
        f"{P}pacts/events/<int:pk>/record.pdf",
        ceremony_views.EventRecordPdfView.as_view(),
        name="event_record_pdf",
    ),
    path(
        f"{P}pacts/witnesses/<int:pk>/link/",
        ceremony_views.WitnessLinkSendView.as_view(),
        name="witness_link",
    ),
    path(f"{P}inbox/", views.InboxView.as_view(), name="inbox"),
    path(f"{P}inbox/<int:pk>/", views.PactSignView.as_view(), name="pact_sign"),
]
