from django.urls import include, path
from rest_framework.routers import DefaultRouter

from pakta.actionplans import api as actionplans_api
from pakta.org.api import OfficialViewSet, PositionViewSet, UnitViewSet
from pakta.performance import api as performance_api
from pakta.surveys import api as surveys_api

tenant_router = DefaultRouter(trailing_slash=True)
tenant_router.include_root_view = False
tenant_router.register("units", UnitViewSet, basename="unit")
tenant_router.register("positions", PositionViewSet, basename="position")
tenant_router.register("officials", OfficialViewSet, basename="official")
tenant_router.register(
    "performance/agreements", performance_api.AgreementViewSet, basename="performance-agreement"
)
tenant_router.register(
    "performance/indicators", performance_api.IndicatorViewSet, basename="performance-indicator"
)
tenant_router.register(
    "performance/targets", performance_api.QuarterTargetViewSet, basename="performance-target"
)
tenant_router.register(
    "performance/realizations",
    performance_api.RealizationViewSet,
    basename="performance-realization",
)
tenant_router.register(
    "performance/achievement",
    performance_api.AchievementViewSet,
    basename="performance-achievement",
)
tenant_router.register("spi-results", surveys_api.SpiResultViewSet, basename="spi-result")
tenant_router.register("questionnaires", surveys_api.QuestionnaireViewSet, basename="questionnaire")
tenant_router.register("internal-surveys", surveys_api.SurveyViewSet, basename="internal-survey")
tenant_router.register("action-plans", actionplans_api.ActionPlanViewSet, basename="action-plan")
tenant_router.register("action-items", actionplans_api.ActionItemViewSet, basename="action-item")

urlpatterns = [
    path("p/<slug:pemda>/", include(tenant_router.urls)),
]
