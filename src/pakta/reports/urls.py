"""Staff pages of the reporting channel, under ``p/<pemda>/reports/``."""

from django.urls import path

from pakta.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/identity/", views.ReportIdentityView.as_view(), name="identity"),
    path("<int:pk>/stage/", views.ReportTransitionView.as_view(), name="transition"),
    path("<int:pk>/assign/", views.ReportAssignView.as_view(), name="assign"),
    path("<int:pk>/share/", views.ReportShareView.as_view(), name="share"),
    path("<int:pk>/recuse/", views.ReportRecuseView.as_view(), name="recuse"),
    path("<int:pk>/message/", views.ReportMessageView.as_view(), name="message"),
    path("<int:pk>/link/", views.ReportLinkView.as_view(), name="link"),
    path("files/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("key/", views.HandlerKeyView.as_view(), name="key"),
    path("key/recover/", views.HandlerKeyRecoverView.as_view(), name="key_recover"),
    path("escrow/", views.EscrowView.as_view(), name="escrow"),
]
