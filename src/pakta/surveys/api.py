"""API of the surveys app: SPI results (read; record with ``surveys.manage``), questionnaires
and internal surveys with their scores (groups under 10 respondents withheld)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from pakta.core.api import PemdaPermission, TenantModelSerializer
from pakta.surveys import selectors, services
from pakta.surveys.models import (
    DIMENSION_FIELDS,
    GROUP_FIELDS,
    Question,
    Questionnaire,
    SpiFinding,
    SpiResult,
    Survey,
)


class SpiFindingSerializer(TenantModelSerializer):
    class Meta:
        model = SpiFinding
        fields = ["id", "number", "dimension", "text"]


class SpiResultSerializer(TenantModelSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    category = serializers.CharField(read_only=True, allow_null=True)
    national_index = serializers.DecimalField(
        source="survey_year.national_index",
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
    )
    findings = SpiFindingSerializer(many=True, read_only=True)

    class Meta:
        model = SpiResult
        fields = [
            "id",
            "year",
            "index",
            "category",
            "national_index",
            "correction_factor",
            "respondents",
            *DIMENSION_FIELDS.values(),
            *GROUP_FIELDS.values(),
            "findings",
        ]


class QuestionSerializer(TenantModelSerializer):
    class Meta:
        model = Question
        fields = ["position", "dimension", "text", "reverse_scored"]


class QuestionnaireSerializer(TenantModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "version", "title", "status", "scale", "published_at", "questions"]


class SurveySerializer(TenantModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = ["id", "title", "year", "status", "questionnaire", "closes_on", "scores"]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "description": "Only in a single survey: the Pemda's and each OPD's index, category "
            "and dimension scores; groups under 10 respondents are withheld.",
        }
    )
    def get_scores(self, survey: Survey) -> dict[str, Any] | None:
        if not self.context.get("with_scores"):
            return None
        report = selectors.survey_report(survey=survey)

        def row(r: Any) -> dict[str, Any]:
            return {
                "unit": r.unit_id,
                "label": r.label,
                "respondents": r.respondents,
                "index": None if r.index is None else round(r.index, 2),
                "category": r.category,
                "dimensions": {
                    k: None if v is None else round(v, 2) for k, v in r.dimensions.items()
                },
            }

        return {
            "respondents": report.respondents,
            "total": row(report.total) if report.total else None,
            "units": [row(u) for u in report.units],
            "withheld_respondents": report.withheld_respondents,
        }


class SurveysApi(viewsets.GenericViewSet):
    permission_classes = [PemdaPermission]
    permission = "surveys.view"
    write_permission = "surveys.manage"
    pemda: Any


class SpiResultViewSet(
    SurveysApi, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """SPI results per year; POST records (or replaces) a year's result."""

    serializer_class = SpiResultSerializer
    queryset = SpiResult.objects.none()

    def get_queryset(self) -> QuerySet[SpiResult]:
        return selectors.spi_result_list_for(pemda=self.pemda).prefetch_related("findings")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        year = data.pop("year")
        serializer.instance = services.spi_result_save(
            pemda=self.pemda, year=year, acting_user=self.request.user, **data
        )


class QuestionnaireViewSet(SurveysApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = QuestionnaireSerializer
    queryset = Questionnaire.objects.none()

    def get_queryset(self) -> QuerySet[Questionnaire]:
        return selectors.questionnaire_list_for(pemda=self.pemda).prefetch_related("questions")


class SurveyViewSet(SurveysApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Internal surveys; a single survey carries its scores."""

    serializer_class = SurveySerializer
    queryset = Survey.objects.none()

    def get_queryset(self) -> QuerySet[Survey]:
        return selectors.survey_list_for(pemda=self.pemda)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["with_scores"] = self.action == "retrieve"
        return context
