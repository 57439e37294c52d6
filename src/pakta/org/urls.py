from django.urls import path

from pakta.org import pickers, views

app_name = "org"

urlpatterns = [
    path("pemda/", views.PemdaListView.as_view(), name="pemda_list"),
    path("pemda/new/", views.PemdaCreateView.as_view(), name="pemda_create"),
    path("pemda/<slug:pemda>/edit/", views.PemdaUpdateView.as_view(), name="pemda_update"),
    path("p/<slug:pemda>/", views.PemdaHomeView.as_view(), name="pemda_home"),
    path("p/<slug:pemda>/pick/<str:kind>/", pickers.PickerSearchView.as_view(), name="picker"),
    path("p/<slug:pemda>/units/", views.UnitListView.as_view(), name="unit_list"),
    path("p/<slug:pemda>/units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("p/<slug:pemda>/units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("p/<slug:pemda>/units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
    path("p/<slug:pemda>/positions/", views.PositionListView.as_view(), name="position_list"),
    path(
        "p/<slug:pemda>/positions/new/", views.PositionCreateView.as_view(), name="position_create"
    ),
    path(
        "p/<slug:pemda>/positions/<int:pk>/edit/",
        views.PositionUpdateView.as_view(),
        name="position_update",
    ),
    path("p/<slug:pemda>/officials/", views.OfficialListView.as_view(), name="official_list"),
    path(
        "p/<slug:pemda>/officials/new/", views.OfficialCreateView.as_view(), name="official_create"
    ),
    path(
        "p/<slug:pemda>/officials/export.<str:fmt>",
        views.OfficialExportView.as_view(),
        name="official_export",
    ),
    path(
        "p/<slug:pemda>/officials/<int:pk>/",
        views.OfficialDetailView.as_view(),
        name="official_detail",
    ),
    path(
        "p/<slug:pemda>/officials/<int:pk>/edit/",
        views.OfficialUpdateView.as_view(),
        name="official_update",
    ),
    path(
        "p/<slug:pemda>/officials/<int:pk>/assign/",
        views.AssignmentCreateView.as_view(),
        name="assignment_create",
    ),
    path("p/<slug:pemda>/imports/", views.ImportListView.as_view(), name="import_list"),
    path(
        "p/<slug:pemda>/imports/template.<str:fmt>",
        views.ImportTemplateView.as_view(),
        name="import_template",
    ),
    path(
        "p/<slug:pemda>/imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"
    ),
    path(
        "p/<slug:pemda>/imports/<int:pk>/errors.xlsx",
        views.ImportErrorsView.as_view(),
        name="import_errors",
    ),
]
