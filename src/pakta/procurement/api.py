"""API of procurement red flags: packages with their risk score, flags, cases (read), and OCDS
imports (upload a file; read its progress and errors)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.parsers import FormParser, MultiPartParser

from pakta.core.api import PemdaPermission, TenantModelSerializer
from pakta.procurement import selectors
from pakta.procurement.models import Case, Flag, OcdsImport, Package
from pakta.procurement.services.imports import ocds_import_create


class PackageSerializer(TenantModelSerializer):
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = [
            "id",
            "ocid",
            "code",
            "title",
            "buyer",
            "method",
            "main_category",
            "hps_value",
            "contract_value",
            "year",
            "winner",
            "risk_score",
            "flags",
        ]
        read_only_fields = fields

    def get_flags(self, package: Package) -> list[str]:
        return sorted({flag.code for flag in package.flags.all()})


class FlagSerializer(TenantModelSerializer):
    class Meta:
        model = Flag
        fields = ["id", "package", "code", "value", "party", "detail"]
        read_only_fields = fields


@extend_schema_serializer(component_name="ProcurementCase")
class CaseSerializer(TenantModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "package", "status", "finding", "conclusion", "created_at", "closed_at"]
        read_only_fields = fields


class OcdsImportSerializer(TenantModelSerializer):
    file = serializers.FileField(write_only=True)

    class Meta:
        model = OcdsImport
        fields = [
            "id",
            "file",
            "file_name",
            "mode",
            "status",
            "total_lines",
            "processed_lines",
            "errors",
            "summary",
        ]
        read_only_fields = [
            "file_name",
            "status",
            "total_lines",
            "processed_lines",
            "errors",
            "summary",
        ]


class ProcurementApi(viewsets.GenericViewSet):
    permission_classes = [PemdaPermission]
    permission = "procurement.view"
    pemda: Any


class PackageViewSet(ProcurementApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = PackageSerializer
    queryset = Package.objects.none()

    def get_queryset(self) -> QuerySet[Package]:
        return selectors.package_list_for(pemda=self.pemda).prefetch_related("flags")


class FlagViewSet(ProcurementApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = FlagSerializer
    queryset = Flag.objects.none()

    def get_queryset(self) -> QuerySet[Flag]:
        return selectors.flag_list_for(pemda=self.pemda)


class CaseViewSet(ProcurementApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    permission = "procurement.examine"
    serializer_class = CaseSerializer
    queryset = Case.objects.none()

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list_for(pemda=self.pemda)


class OcdsImportViewSet(
    ProcurementApi, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    permission = "procurement.manage"
    serializer_class = OcdsImportSerializer
    queryset = OcdsImport.objects.none()
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[OcdsImport]:
        return selectors.import_list_for(pemda=self.pemda).order_by("-created_at", "pk")

    def perform_create(self, serializer: Any) -> None:
        upload = serializer.validated_data["file"]
        serializer.instance = ocds_import_create(
            pemda=self.pemda,
            acting_user=self.request.user,
            file_name=upload.name,
            content=upload.read(),
            mode=serializer.validated_data.get("mode", OcdsImport.Mode.ALL_OR_NOTHING),
        )
