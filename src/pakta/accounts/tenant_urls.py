from django.urls import path

from pakta.accounts import manage_views

app_name = "users"

urlpatterns = [
    path("p/<slug:pemda>/users/", manage_views.UserListView.as_view(), name="user_list"),
    path("p/<slug:pemda>/users/new/", manage_views.UserCreateView.as_view(), name="user_create"),
    path(
        "p/<slug:pemda>/users/<int:pk>/roles/new/",
        manage_views.MembershipCreateView.as_view(),
        name="membership_create",
    ),
    path(
        "p/<slug:pemda>/role-requests/",
        manage_views.RoleRequestListView.as_view(),
        name="role_request_list",
    ),
    path(
        "p/<slug:pemda>/role-requests/<int:pk>/decide/",
        manage_views.RoleRequestDecideView.as_view(),
        name="role_request_decide",
    ),
    path(
        "p/<slug:pemda>/roles/<int:pk>/revoke/",
        manage_views.MembershipRevokeView.as_view(),
        name="membership_revoke",
    ),
]
