"""API of gratification control (under ``/api/v1/p/<pemda>/gratification/``).

Reports: the reporter and the UPG see a report, the Inspektorat reads it, nobody else (404).
Steps, the custody register and the giver register are the UPG's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pakta.core.api import PemdaPermission, TenantModelSerializer, TenantRelated
from pakta.gratification import custody, selectors, services
from pakta.gratification.models import (
    CustodyItem,
    ExemptCategory,
    GiftKind,
    GiverEntry,
    GratificationReport,
    Relationship,
)
from pakta.org.models import Official, Unit

Report = GratificationReport


class ReportSerializer(TenantModelSerializer):
    recipient = TenantRelated(queryset=Official.objects.all(), required=False, allow_null=True)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    kind = serializers.ChoiceField(choices=GiftKind.choices)
    exempt_category = serializers.ChoiceField(
        choices=ExemptCategory.choices, required=False, allow_blank=True
    )
    location = serializers.ChoiceField(choices=Report.Location.choices, required=False)

    class Meta:
        model = Report
        fields = [
            "id",
            "number",
            "type",
            "status",
            "recipient",
            "recipient_nip",
            "recipient_name",
            "recipient_position",
            "recipient_unit_name",
            "giver_name",
            "giver_organisation",
            "giver_identifier",
            "relationship",
            "vendor_active_contract",
            "occasion",
            "exempt_category",
            "received_on",
            "place",
            "kind",
            "description",
            "value",
            "location",
            "chronology",
            "compensation_requested",
            "confidential",
            "assessment",
            "assessment_reason",
            "reported_on",
            "kpk_due",
            "upg_due",
            "forward_due",
            "late",
            "missing",
            "completeness_due",
            "kpk_number",
            "decision",
            "decision_letter_number",
            "decision_letter_date",
            "delivery_due",
            "execution",
            "compensation_value",
        ]
        read_only_fields = [
            "number",
            "status",
            "recipient_nip",
            "recipient_name",
            "recipient_position",
            "recipient_unit_name",
            "assessment",
            "assessment_reason",
            "reported_on",
            "kpk_due",
            "upg_due",
            "forward_due",
            "late",
            "missing",
            "completeness_due",
            "kpk_number",
            "decision",
            "decision_letter_number",
            "decision_letter_date",
            "delivery_due",
            "execution",
            "compensation_value",
        ]
        extra_kwargs = {"value": {"min_value": 1}}


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=["return", "verify", "analyse", "forward", "kpk_number", "decide", "execute"]
    )
    missing = serializers.CharField(required=False, allow_blank=True, default="")
    related_to_position = serializers.BooleanField(required=False, default=False)
    contrary_to_duty = serializers.BooleanField(required=False, default=False)
    exempt_confirmed = serializers.BooleanField(required=False, default=False)
    appraised_value = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    route = serializers.ChoiceField(choices=["kpk", "internal"], required=False, default="kpk")
    kpk_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision = serializers.ChoiceField(choices=Report.Decision.choices, required=False, default="")
    letter_number = serializers.CharField(required=False, allow_blank=True, default="")
    letter_date = serializers.DateField(required=False, allow_null=True, default=None)
    execution = serializers.CharField(required=False, allow_blank=True, default="")
    compensation_value = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReportViewSet(
    viewsets.GenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """Reports: one's own (the UPG and the Inspektorat: all of the Pemda's)."""

    permission_classes = [PemdaPermission]
    permission = "gratification.report"
    write_permission = "gratification.report"
    object_permission = "gratification.read"
    serializer_class = ReportSerializer
    queryset = Report.objects.none()
    pemda: Any

    def get_queryset(self) -> QuerySet[Report]:
        return selectors.report_list_for(pemda=self.pemda, user=self.request.user)

    def get_object(self) -> Report:
        return selectors.report_get_for(
            pemda=self.pemda, user=self.request.user, pk=self.kwargs["pk"]
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.report_file(
            pemda=self.pemda,
            acting_user=self.request.user,
            location=data.pop("location", Report.Location.RECIPIENT),
            **data,
        )


class ReportStepViewSet(viewsets.GenericViewSet):
    """The UPG's steps on a report: POST ``{"step": ..., ...}``."""

    permission_classes = [PemdaPermission]
    permission = "gratification.manage"
    write_permission = "gratification.manage"
    serializer_class = StepSerializer
    queryset = Report.objects.none()
    model = Report
    pemda: Any

    @action(detail=True, methods=["post"], url_path="step")
    def step(self, request: Request, pemda: str, pk: str, **kwargs: Any) -> Response:
        report = selectors.report_get_for(pemda=self.pemda, user=request.user, pk=int(pk))
        given = StepSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        d = given.validated_data
        user = request.user
        calls = {
            "return": lambda: services.report_return(
                report=report, acting_user=user, missing=d["missing"]
            ),
            "verify": lambda: services.report_verify(report=report, acting_user=user),
            "analyse": lambda: services.report_analyse(
                report=report,
                acting_user=user,
                related_to_position=d["related_to_position"],
                contrary_to_duty=d["contrary_to_duty"],
                exempt_confirmed=d["exempt_confirmed"],
                appraised_value=d["appraised_value"],
                note=d["note"],
                route=d["route"],
            ),
            "forward": lambda: services.report_forward(
                report=report, acting_user=user, kpk_number=d["kpk_number"]
            ),
            "kpk_number": lambda: services.report_kpk_number(
                report=report, acting_user=user, kpk_number=d["kpk_number"]
            ),
            "decide": lambda: services.report_decide(
                report=report,
                acting_user=user,
                decision=d["decision"],
                letter_number=d["letter_number"],
                letter_date=d["letter_date"],
            ),
            "execute": lambda: services.report_execute(
                report=report,
                acting_user=user,
                execution=d["execution"],
                compensation_value=d["compensation_value"],
            ),
        }
        result = calls[d["step"]]()
        return Response(ReportSerializer(result, context={"view": self}).data)


class CustodyItemSerializer(TenantModelSerializer):
    report = TenantRelated(queryset=Report.objects.all())

    class Meta:
        model = CustodyItem
        fields = [
            "id",
            "report",
            "description",
            "received_from",
            "received_on",
            "storage",
            "condition",
            "released_to",
            "released_on",
            "distribution_report",
        ]
        read_only_fields = ["released_to", "released_on", "distribution_report"]


class CustodyItemViewSet(
    viewsets.GenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    permission_classes = [PemdaPermission]
    permission = "gratification.manage"
    write_permission = "gratification.manage"
    serializer_class = CustodyItemSerializer
    queryset = CustodyItem.objects.none()
    pemda: Any

    def get_queryset(self) -> QuerySet[CustodyItem]:
        return selectors.custody_list_for(pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = custody.custody_receive(
            acting_user=self.request.user, **serializer.validated_data
        )


class GiverEntrySerializer(TenantModelSerializer):
    unit = TenantRelated(queryset=Unit.objects.all(), required=False, allow_null=True)

    class Meta:
        model = GiverEntry
        fields = ["id", "name", "identifier", "kind", "unit", "valid_until", "note"]


class GiverEntryViewSet(
    viewsets.GenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    permission_classes = [PemdaPermission]
    permission = "gratification.manage"
    write_permission = "gratification.manage"
    serializer_class = GiverEntrySerializer
    queryset = GiverEntry.objects.none()
    pemda: Any

    def get_queryset(self) -> QuerySet[GiverEntry]:
        return selectors.giver_list_for(pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = custody.giver_add(
            pemda=self.pemda, acting_user=self.request.user, **serializer.validated_data
        )
