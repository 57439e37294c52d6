from typing import Any

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from pakta.actionplans import api as actionplans_api
from pakta.discipline import api as discipline_api
from pakta.org.api import ImportJobViewSet, OfficialViewSet, PositionViewSet, UnitViewSet
from pakta.pacts import api as pacts_api
from pakta.performance import api as performance_api
from pakta.surveys import api as surveys_api


class IdRouter(DefaultRouter):
    """Object ids in the path are integers (at most 18 digits): anything else is a 404 before a
    view runs, so no view ever sees ``abc`` or ``null,null`` as an id."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        name = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{name}>[0-9]{{1,18}})"


tenant_router = IdRouter(trailing_slash=True)
tenant_router.include_root_view = False
tenant_router.register("units", UnitViewSet, basename="unit")
tenant_router.register("positions", PositionViewSet, basename="position")
tenant_router.register("officials", OfficialViewSet, basename="official")
tenant_router.register("imports", ImportJobViewSet, basename="import")
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
tenant_router.register("discipline/cases", discipline_api.CaseViewSet, basename="discipline-case")
tenant_router.register(
    "discipline/steps", discipline_api.CaseStepViewSet, basename="discipline-step"
)
tenant_router.register(
    "discipline/sanctions", discipline_api.SanctionViewSet, basename="discipline-sanction"
)
tenant_router.register("pact-templates", pacts_api.PactTemplateViewSet, basename="pact-template")
tenant_router.register("signing-events", pacts_api.SigningEventViewSet, basename="signing-event")
tenant_router.register("pacts", pacts_api.PactViewSet, basename="pact")
# Signing and the PDF: the same /pacts/<id>/ addresses, with their own permission (pacts.sign).
tenant_router.register("pacts", pacts_api.PactSigningViewSet, basename="pact-signing")

urlpatterns = [
    path("p/<slug:pemda>/", include(tenant_router.urls)),
    # Public verification of signed documents (no login), as the portal's pages.
    path("verify/", pacts_api.VerifyUploadView.as_view(), name="verify-upload"),
    path("verify/<str:token>/", pacts_api.VerifyDocumentView.as_view(), name="verify-document"),
]
