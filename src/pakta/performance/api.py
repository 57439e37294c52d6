"""API of performance agreements: agreements, indicators, quarterly targets, realizations and the
computed achievement. Reads return what the user may see (their own agreements, those they are
the second party of, and their unit scope with ``performance.view``); writes go through the
services, which decide who may act."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser

from pakta.core.api import PemdaPermission, SafeJSONParser, TenantModelSerializer, TenantRelated
from pakta.core.limits import YEAR_MAX, YEAR_MIN
from pakta.org.models import Official
from pakta.performance import selectors, services
from pakta.performance.achievement import band
from pakta.performance.models import (
    QUARTERS,
    REVISION_TRIGGERS,
    AgreementAchievement,
    Goal,
    Indicator,
    PerformanceAgreement,
    Polarity,
    QuarterTarget,
    Realization,
)


class QuarterTargetSerializer(TenantModelSerializer):
    class Meta:
        model = QuarterTarget
        fields = ["id", "indicator", "quarter", "target", "target_upper"]
        read_only_fields = ["id", "indicator"]


class QuarterTargetInput(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target_upper = serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, required=False
    )


class AgreementSerializer(TenantModelSerializer):
    official = TenantRelated(
        queryset=Official.objects.all(),
        required=False,
        help_text="Defaults to the user's official.",
    )
    superior = TenantRelated(queryset=Official.objects.all(), required=False, allow_null=True)
    official_name = serializers.CharField(source="official.full_name", read_only=True)
    superior_name = serializers.CharField(source="superior.full_name", read_only=True, default="")
    verification_url = serializers.SerializerMethodField()
    # Blank for a first version: the schema says so (a plain enum would not admit "").
    revision_trigger = serializers.ChoiceField(
        choices=REVISION_TRIGGERS, allow_blank=True, read_only=True
    )

    class Meta:
        model = PerformanceAgreement
        fields = [
            "id",
            "year",
            "version",
            "status",
            "is_current",
            "official",
            "official_name",
            "position_title",
            "unit",
            "superior",
            "superior_name",
            "superior_title",
            "due_date",
            "submitted_at",
            "approved_at",
            "first_party_signed_at",
            "signed_at",
            "return_reason",
            "revision_of",
            "revision_reason",
            "revision_trigger",
            "trigger_assignment",
            "verification_url",
        ]
        read_only_fields = [f for f in fields if f not in ("year", "official", "superior")]
        extra_kwargs = {"year": {"min_value": YEAR_MIN, "max_value": YEAR_MAX}}

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_verification_url(self, obj: PerformanceAgreement) -> str:
        return obj.document.get_verification_url() if obj.document_id else ""  # type: ignore[union-attr]


class IndicatorSerializer(TenantModelSerializer):
    goal = TenantRelated(queryset=Goal.objects.all())
    polarity = serializers.ChoiceField(choices=Polarity.choices, default=Polarity.HIGHER)
    targets = QuarterTargetSerializer(many=True, read_only=True)
    quarter_targets = QuarterTargetInput(many=True, write_only=True, required=False)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "agreement",
            "goal",
            "name",
            "unit_of_measure",
            "polarity",
            "target",
            "target_upper",
            "weight",
            "cascaded_from",
            "targets",
            "quarter_targets",
        ]
        read_only_fields = ["id", "agreement", "cascaded_from", "targets"]


class RealizationSerializer(TenantModelSerializer):
    evidence = serializers.ListField(child=serializers.FileField(), write_only=True, required=False)
    evidence_files = serializers.SerializerMethodField()

    class Meta:
        model = Realization
        fields = [
            "id",
            "agreement",
            "indicator",
            "quarter",
            "value",
            "note",
            "status",
            "return_reason",
            "submitted_at",
            "verified_at",
            "is_late",
            "evidence",
            "evidence_files",
        ]
        read_only_fields = [
            "id",
            "agreement",
            "status",
            "return_reason",
            "submitted_at",
            "verified_at",
            "is_late",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_evidence_files(self, obj: Realization) -> list[str]:
        return [e.name for e in obj.evidence.all()]


class AchievementSerializer(TenantModelSerializer):
    achievement = serializers.DecimalField(
        max_digits=8, decimal_places=2, read_only=True, allow_null=True
    )
    band = serializers.SerializerMethodField()
    official = serializers.IntegerField(source="agreement.official_id", read_only=True)

    class Meta:
        model = AgreementAchievement
        fields = [
            "id",
            "agreement",
            "official",
            "unit",
            "year",
            "quarter",
            "achievement",
            "band",
            "weighted_sum",
            "weight_total",
            "measured",
            "below_target",
            "submitted",
            "verified",
            "returned",
            "late",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_band(self, obj: AgreementAchievement) -> str:
        return band(obj.achievement)


class PerformanceViewSet(viewsets.GenericViewSet):
    """Every role reaches the API of its own agreements; objects of others are visible only with
    ``performance.view`` (unit-scoped), as on the pages."""

    permission_classes = [PemdaPermission]
    permission = "performance.own"
    write_permission = "performance.own"
    object_permission = "performance.view"
    pemda: Any

    def fake(self) -> bool:
        return bool(getattr(self, "swagger_fake_view", False))


class AgreementViewSet(
    PerformanceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    serializer_class = AgreementSerializer
    queryset = PerformanceAgreement.objects.none()
    filterset_fields = ["year", "status", "is_current", "official"]

    def get_queryset(self) -> QuerySet[PerformanceAgreement]:
        if self.fake():
            return PerformanceAgreement.objects.none()
        return selectors.agreement_list_visible(user=self.request.user, pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        user = self.request.user
        official = data.get("official") or getattr(user, "official", None)
        if official is None or official.pemda_id != self.pemda.pk:
            raise ValidationError({"official": "Give the official (first party) of this Pemda."})
        serializer.instance = services.agreement_create(
            pemda=self.pemda,
            official=official,
            year=data["year"],
            superior=data.get("superior"),
            acting_user=user,
        )


def _quarters(items: list[dict[str, Any]] | None) -> dict[int, tuple[Any, Any]] | None:
    if items is None:
        return None
    return {i["quarter"]: (i.get("target"), i.get("target_upper")) for i in items}


class IndicatorViewSet(
    PerformanceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()
    filterset_fields = ["agreement", "goal", "polarity"]

    def get_queryset(self) -> QuerySet[Indicator]:
        if self.fake():
            return Indicator.objects.none()
        return selectors.indicator_list_visible(user=self.request.user, pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        goal = data.pop("goal")
        if goal.agreement.pemda_id != self.pemda.pk:
            raise ValidationError({"goal": "Choose a goal of an agreement of this Pemda."})
        quarters = _quarters(data.pop("quarter_targets", None))
        serializer.instance = services.indicator_add(
            goal=goal, acting_user=self.request.user, quarter_targets=quarters, **data
        )

    def perform_update(self, serializer: Any) -> None:
        indicator: Indicator = serializer.instance
        data = dict(serializer.validated_data)
        goal = data.pop("goal", None)
        quarters = _quarters(data.pop("quarter_targets", None))
        fields = {
            name: data.get(name, getattr(indicator, name))
            for name in ("name", "unit_of_measure", "polarity", "target", "target_upper", "weight")
        }
        serializer.instance = services.indicator_update(
            indicator=indicator,
            goal=goal,
            acting_user=self.request.user,
            quarter_targets=quarters,
            **fields,
        )


class QuarterTargetViewSet(PerformanceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Quarterly targets (read); they are written with their indicator."""

    serializer_class = QuarterTargetSerializer
    queryset = QuarterTarget.objects.none()
    filterset_fields = ["indicator", "quarter"]

    def get_queryset(self) -> QuerySet[QuarterTarget]:
        if self.fake():
            return QuarterTarget.objects.none()
        return selectors.target_list_visible(user=self.request.user, pemda=self.pemda)


class RealizationViewSet(
    PerformanceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Realizations; a POST (multipart, with ``evidence`` files) reports or corrects a quarter."""

    serializer_class = RealizationSerializer
    queryset = Realization.objects.none()
    parser_classes = [MultiPartParser, FormParser, SafeJSONParser]
    filterset_fields = ["agreement", "indicator", "quarter", "status", "is_late"]

    def get_queryset(self) -> QuerySet[Realization]:
        if self.fake():
            return Realization.objects.none()
        return selectors.realization_list_visible(user=self.request.user, pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        indicator: Indicator = data["indicator"]
        if indicator.agreement.pemda_id != self.pemda.pk:
            raise ValidationError({"indicator": "Choose an indicator of this Pemda."})
        if data["quarter"] not in QUARTERS:
            raise ValidationError({"quarter": "A quarter is a number from 1 to 4."})
        uploads = [
            services.EvidenceUpload(
                name=f.name,
                content=f.read(),
                content_type=getattr(f, "content_type", "") or "application/octet-stream",
            )
            for f in data.get("evidence", [])
        ]
        serializer.instance = services.realization_submit(
            indicator=indicator,
            quarter=data["quarter"],
            value=data["value"],
            note=data.get("note", ""),
            evidence=uploads,
            acting_user=self.request.user,
        )


class AchievementViewSet(PerformanceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The weighted achievement (capaian) of each signed agreement per quarter (computed)."""

    serializer_class = AchievementSerializer
    queryset = AgreementAchievement.objects.none()
    filterset_fields = ["year", "quarter", "unit", "agreement"]

    def get_queryset(self) -> QuerySet[AgreementAchievement]:
        if self.fake():
            return AgreementAchievement.objects.none()
        return selectors.achievement_list_visible(user=self.request.user, pemda=self.pemda)
