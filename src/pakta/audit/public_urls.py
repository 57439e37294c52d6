from django.urls import path

from pakta.audit import public_views as views

app_name = "transparency"

urlpatterns = [
    path("transparansi/", views.transparency_home, name="home"),
    path("transparansi/checkpoint", views.checkpoint_latest, name="checkpoint"),
    path("transparansi/checkpoint/<int:size>", views.checkpoint_at, name="checkpoint_at"),
    path("transparansi/key", views.log_key, name="key"),
    path("transparansi/proof/inclusion", views.proof_inclusion, name="inclusion"),
    path("transparansi/proof/consistency", views.proof_consistency, name="consistency"),
]
