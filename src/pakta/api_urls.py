from django.urls import include, path
from rest_framework.routers import DefaultRouter

from pakta.org.api import OfficialViewSet, PositionViewSet, UnitViewSet

tenant_router = DefaultRouter(trailing_slash=True)
tenant_router.include_root_view = False
tenant_router.register("units", UnitViewSet, basename="unit")
tenant_router.register("positions", PositionViewSet, basename="position")
tenant_router.register("officials", OfficialViewSet, basename="official")

urlpatterns = [
    path("p/<slug:pemda>/", include(tenant_router.urls)),
]
