"""Public pages of the reporting channel, under ``lapor/<pemda>/`` (no login, no JavaScript)."""

from django.urls import path

from pakta.reports import public_views as views

app_name = "report_public"

urlpatterns = [
    path("", views.intake, name="intake"),
    path("masuk/", views.followup_login, name="login"),
    path("kasus/", views.case, name="case"),
    path("kasus/pesan/", views.case_message, name="message"),
    path("kasus/identitas/", views.case_identity, name="identity"),
    path("kasus/tanda-terima/", views.case_acknowledgement, name="acknowledgement"),
    path("kasus/berkas/<str:token>/", views.case_file, name="file"),
    path("keluar/", views.followup_logout, name="logout"),
]
