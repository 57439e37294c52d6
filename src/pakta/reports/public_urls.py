"""Public pages of the reporting channel, under ``lapor/`` (no login, no JavaScript)."""

from django.urls import path

from pakta.reports import public_views as views

app_name = "report_public"

urlpatterns = [
    path("", views.pemda_index, name="index"),
    path("<slug:pemda>/", views.intake, name="intake"),
    path("<slug:pemda>/masuk/", views.followup_login, name="login"),
    path("<slug:pemda>/kasus/", views.case, name="case"),
    path("<slug:pemda>/kasus/pesan/", views.case_message, name="message"),
    path("<slug:pemda>/kasus/identitas/", views.case_identity, name="identity"),
    path("<slug:pemda>/kasus/tanda-terima/", views.case_acknowledgement, name="acknowledgement"),
    path("<slug:pemda>/kasus/berkas/<str:token>/", views.case_file, name="file"),
    path("<slug:pemda>/keluar/", views.followup_logout, name="logout"),
]
