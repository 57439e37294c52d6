"""API of conflict-of-interest declarations: one's declarations (the Inspektorat: all),
decisions (managers), declaring for a decision (members), findings and their review
(Inspektorat). Refusals of the services answer 400 through the global exception handler."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pakta.conflicts import selectors, services
from pakta.conflicts.models import (
    Decision,
    DecisionDeclaration,
    DecisionSubject,
    DeclaredBusiness,
    DeclaredRelative,
    Finding,
    StandingDeclaration,
)
from pakta.core.api import PemdaPermission, TenantModelSerializer, TenantRelated
from pakta.org.models import Unit


class RelativeSerializer(TenantModelSerializer):
    class Meta:
        model = DeclaredRelative
        fields = ["id", "relation", "name", "nik", "birth_date", "birth_place", "employer"]


class BusinessSerializer(TenantModelSerializer):
    class Meta:
        model = DeclaredBusiness
        fields = ["id", "relative", "company_name", "nib", "npwp", "role", "share_percent"]


class DeclarationSerializer(TenantModelSerializer):
    relatives = RelativeSerializer(many=True, read_only=True)
    businesses = BusinessSerializer(many=True, read_only=True)

    class Meta:
        model = StandingDeclaration
        fields = [
            "id",
            "official",
            "year",
            "version",
            "reason",
            "status",
            "sections_none",
            "submitted_at",
            "risk_score",
            "relatives",
            "businesses",
        ]
        read_only_fields = fields


class DeclarationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One's own declarations; the Inspektorat reads all of them."""

    permission_classes = [PemdaPermission]
    permission = "conflicts.declare"
    object_permission = "conflicts.review"
    serializer_class = DeclarationSerializer
    queryset = StandingDeclaration.objects.none()
    pemda: Any

    def get_queryset(self) -> QuerySet[StandingDeclaration]:
        return selectors.declaration_list_for(user=self.request.user, pemda=self.pemda)


class DecisionSerializer(TenantModelSerializer):
    unit = TenantRelated(queryset=Unit.objects.all())
    clean = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "kind", "code", "title", "unit", "year", "opened_at", "risk_score", "clean"]
        read_only_fields = ["risk_score", "clean"]

    def get_clean(self, decision: Decision) -> bool:
        return decision.recorded_clean_at is not None


class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [PemdaPermission]
    permission = "conflicts.decisions"
    write_permission = "conflicts.decisions"
    serializer_class = DecisionSerializer
    queryset = Decision.objects.none()
    pemda: Any

    def get_queryset(self) -> QuerySet[Decision]:
        from pakta.core.permissions import unit_scope

        scope = unit_scope(self.request.user, self.pemda, "conflicts.decisions")
        return selectors.decision_list_for(pemda=self.pemda, scope=scope)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.decision_create(
            pemda=self.pemda, acting_user=self.request.user, **serializer.validated_data
        )


class AnswerSerializer(serializers.Serializer):
    subject = TenantRelated(queryset=DecisionSubject.objects.all())
    relationship = serializers.CharField()
    detail = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionDeclarationSerializer(TenantModelSerializer):
    decision = TenantRelated(queryset=Decision.objects.all(), write_only=True)
    answers = AnswerSerializer(many=True, write_only=True)

    class Meta:
        model = DecisionDeclaration
        fields = ["id", "decision", "answers", "version", "has_conflict", "created_at"]
        read_only_fields = ["version", "has_conflict", "created_at"]


class DecisionDeclarationViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A committee member's declarations for decisions: their own list, and declaring."""

    permission_classes = [PemdaPermission]
    permission = "conflicts.declare"
    write_permission = "conflicts.declare"
    serializer_class = DecisionDeclarationSerializer
    queryset = DecisionDeclaration.objects.none()
    pemda: Any

    def get_queryset(self) -> QuerySet[DecisionDeclaration]:
        return selectors.own_decision_declarations(user=self.request.user, pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.decision_declare(
            decision=data["decision"],
            acting_user=self.request.user,
            answers=[(a["subject"], a["relationship"], a["detail"]) for a in data["answers"]],
        )


class FindingSerializer(TenantModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "kind",
            "kind_label",
            "official",
            "declaration",
            "decision",
            "score",
            "weight",
            "explanation",
            "evidence",
            "status",
            "review_reason",
            "reviewed_at",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["confirm", "dismiss", "correct"])
    reason = serializers.CharField()


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The Inspektorat's queue (highest risk first) and the review of one finding."""

    permission_classes = [PemdaPermission]
    permission = "conflicts.review"
    write_permission = "conflicts.review"
    serializer_class = FindingSerializer
    queryset = Finding.objects.none()
    pemda: Any

    def get_queryset(self) -> QuerySet[Finding]:
        return selectors.finding_queue(
            pemda=self.pemda, status=self.request.query_params.get("status", "open")
        )

    @extend_schema(request=ReviewSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        finding = selectors.finding_get_for(pemda=self.pemda, pk=int(kwargs["pk"]))
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service = {
            "confirm": services.finding_confirm,
            "dismiss": services.finding_dismiss,
            "correct": services.finding_request_correction,
        }[body.validated_data["action"]]
        service(finding=finding, acting_user=request.user, reason=body.validated_data["reason"])
        finding.refresh_from_db()
        return Response(FindingSerializer(finding).data)


def register_routes(router: Any) -> None:
    router.register("coi/declarations", DeclarationViewSet, basename="coi-declaration")
    router.register("coi/decisions", DecisionViewSet, basename="coi-decision")
    router.register(
        "coi/decision-declarations", DecisionDeclarationViewSet, basename="coi-decision-declaration"
    )
    router.register("coi/findings", FindingViewSet, basename="coi-finding")
