from django.urls import path

from pakta.signing import letter_views as views

app_name = "letters"

urlpatterns = [
    path("p/<slug:pemda>/letters/", views.LetterListView.as_view(), name="letter_list"),
    path(
        "p/<slug:pemda>/letters/<int:pk>/", views.LetterDetailView.as_view(), name="letter_detail"
    ),
    path(
        "p/<slug:pemda>/letters/<int:pk>/pdf",
        views.LetterDownloadView.as_view(),
        name="letter_download",
    ),
]
