"""API of discipline cases: cases (any member lists the cases they may see; the Inspektorat and
HR open them and record steps), their steps, and the decided sanctions in SIASN's fields."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pakta.core.api import PemdaPermission, TenantModelSerializer, TenantRelated
from pakta.discipline import exports, selectors, services
from pakta.discipline.models import CaseStep, DisciplineCase, Sanction
from pakta.org.models import Official


class CaseStepSerializer(TenantModelSerializer):
    class Meta:
        model = CaseStep
        fields = ["id", "case", "kind", "date", "due_date", "hearing_date", "reference", "note"]
        read_only_fields = fields


@extend_schema_serializer(component_name="DisciplineCase")
class CaseSerializer(TenantModelSerializer):
    official = TenantRelated(queryset=Official.objects.all())
    provisions = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=selectors.provision_list()
    )
    origin_ref = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    origin_label = serializers.CharField(read_only=True)
    sanction = serializers.SerializerMethodField()

    class Meta:
        model = DisciplineCase
        fields = [
            "id",
            "number",
            "official",
            "incident_date",
            "opened_on",
            "level",
            "provisions",
            "pact",
            "pact_clause",
            "origin",
            "origin_ref",
            "origin_label",
            "stage",
            "stage_due",
            "escalated_on",
            "summary",
            "sanction",
        ]
        read_only_fields = ["number", "opened_on", "pact", "stage", "stage_due", "escalated_on"]

    def get_sanction(self, case: DisciplineCase) -> dict[str, Any] | None:
        sanction = getattr(case, "sanction", None)
        return SanctionSerializer(sanction).data if sanction else None


class SanctionSerializer(TenantModelSerializer):
    siasn = serializers.SerializerMethodField()

    class Meta:
        model = Sanction
        fields = [
            "id",
            "case",
            "type",
            "level",
            "authority",
            "decision_number",
            "decision_date",
            "start_date",
            "end_date",
            "months",
            "status",
            "delivered_on",
            "objection_until",
            "siasn",
        ]
        read_only_fields = fields

    def get_siasn(self, sanction: Sanction) -> dict[str, Any]:
        return exports.siasn_row(sanction)


class SummonsSerializer(serializers.Serializer):
    letter_date = serializers.DateField()
    hearing_date = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, max_length=120)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class DeliverySerializer(serializers.Serializer):
    delivered_on = serializers.DateField()


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DisciplineApi(viewsets.GenericViewSet):
    permission_classes = [PemdaPermission]
    permission = "discipline.access"
    write_permission = "discipline.manage"
    # Roles that see every case; other members see the cases they act in (404 otherwise).
    object_permission = "discipline.view"
    pemda: Any

    def visible_cases(self) -> QuerySet[DisciplineCase]:
        return selectors.case_list_for(user=self.request.user, pemda=self.pemda)


class CaseViewSet(
    DisciplineApi, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    serializer_class = CaseSerializer
    queryset = DisciplineCase.objects.none()

    def get_queryset(self) -> QuerySet[DisciplineCase]:
        return self.visible_cases().prefetch_related("provisions")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        case = services.case_open(
            pemda=self.pemda,
            acting_user=self.request.user,
            official=data["official"],
            incident_date=data["incident_date"],
            summary=data.get("summary", ""),
            provisions=list(data["provisions"]),
            level=data["level"],
            origin=data.get("origin", DisciplineCase.Origin.MANUAL),
            origin_ref=data.get("origin_ref"),
            pact_clause=data.get("pact_clause"),
        )
        serializer.instance = case

    def _step(self, request: Request, serializer_class: Any, call: Any) -> Response:
        case = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        step = call(case, payload.validated_data)
        return Response(CaseStepSerializer(step).data, status=201)

    @action(detail=True, methods=["post"], serializer_class=SummonsSerializer)
    def summons(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._step(
            request,
            SummonsSerializer,
            lambda case, data: services.summons_issue(case=case, acting_user=request.user, **data),
        )

    @action(detail=True, methods=["post"], serializer_class=NoteSerializer)
    def absent(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._step(
            request,
            NoteSerializer,
            lambda case, data: services.summons_absent(case=case, acting_user=request.user, **data),
        )

    @action(detail=True, methods=["post"], serializer_class=DeliverySerializer)
    def deliver(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._step(
            request,
            DeliverySerializer,
            lambda case, data: services.decision_deliver(
                case=case, acting_user=request.user, **data
            ),
        )

    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._step(
            request,
            CloseSerializer,
            lambda case, data: services.case_close(case=case, acting_user=request.user, **data),
        )


class CaseStepViewSet(DisciplineApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = CaseStepSerializer
    queryset = CaseStep.objects.none()

    def get_queryset(self) -> QuerySet[CaseStep]:
        return selectors.case_step_list_for(user=self.request.user, pemda=self.pemda)


class SanctionViewSet(DisciplineApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Decided sanctions with their SIASN record (the Inspektorat and HR only)."""

    permission = "discipline.view"
    serializer_class = SanctionSerializer
    queryset = Sanction.objects.none()

    def get_queryset(self) -> QuerySet[Sanction]:
        return selectors.sanction_list_for(pemda=self.pemda)
