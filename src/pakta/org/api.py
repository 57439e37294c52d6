"""API for units, positions and officials of one Pemda: lists filtered and paginated, details,
create and update for administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pakta.core.api import PemdaPermission, TenantModelSerializer
from pakta.core.permissions import unit_scope
from pakta.org import imports, selectors, services
from pakta.org.models import ImportJob, Official, Position, Unit


class UnitSerializer(TenantModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "code", "kind", "parent", "is_active"]


class PositionSerializer(TenantModelSerializer):
    eselon = serializers.CharField(read_only=True)

    class Meta:
        model = Position
        fields = ["id", "title", "level", "eselon", "unit", "is_unit_head"]


class OfficialSerializer(TenantModelSerializer):
    """An official. ``nip`` and ``email`` are empty, ``sex`` and ``birth_date`` null, unless the
    caller may see this official's personal data (docs/permissions.md)."""

    full_name = serializers.CharField(read_only=True)
    sex = serializers.ChoiceField(choices=Official.Sex.choices, read_only=True, allow_null=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)

    def to_representation(self, instance: Official) -> dict[str, Any]:
        data = super().to_representation(instance)
        visible = self.context.get("personal_ids")
        if visible is None:
            visible = selectors.personal_data_visible(
                user=self.context["request"].user,
                pemda=self.context["view"].pemda,
                officials=[instance],
            )
        if instance.pk not in visible:
            data.update(nip="", email="", sex=None, birth_date=None)
        return data

    class Meta:
        model = Official
        fields = [
            "id",
            "nip",
            "name",
            "full_name",
            "front_title",
            "back_title",
            "golongan",
            "sex",
            "birth_date",
            "email",
        ]


class PemdaScopedViewSet(viewsets.GenericViewSet):
    """Read with ``org.view`` (unit-scoped for Kepala OPD), write with ``org.manage``."""

    permission_classes = [PemdaPermission]
    permission = "org.view"
    write_permission = "org.manage"
    pemda: Any

    @property
    def scope(self) -> Any:
        return unit_scope(self.request.user, self.pemda, self.permission)


class UnitFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "is_active"]


class UnitViewSet(
    PemdaScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    queryset = Unit.objects.none()

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.unit_list_for(pemda=self.pemda, scope=self.scope)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.unit_create(
            pemda=self.pemda,
            acting_user=self.request.user,
            name=data["name"],
            parent=data.get("parent"),
            kind=data.get("kind", Unit.Kind.DINAS),
            code=data.get("code", ""),
        )

    def perform_update(self, serializer: Any) -> None:
        unit, data = serializer.instance, serializer.validated_data
        serializer.instance = services.unit_update(
            unit=unit,
            acting_user=self.request.user,
            name=data.get("name", unit.name),
            kind=data.get("kind", unit.kind),
            code=data.get("code", unit.code),
            parent=data.get("parent", unit.parent),
            is_active=data.get("is_active", unit.is_active),
        )


class PositionViewSet(
    PemdaScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    serializer_class = PositionSerializer
    filterset_fields = ["unit", "level", "is_unit_head"]
    queryset = Position.objects.none()

    def get_queryset(self) -> QuerySet[Position]:
        return selectors.position_list_for(pemda=self.pemda, scope=self.scope)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.position_create(
            pemda=self.pemda,
            acting_user=self.request.user,
            unit=data["unit"],
            title=data["title"],
            level=data["level"],
            is_unit_head=data.get("is_unit_head", False),
        )

    def perform_update(self, serializer: Any) -> None:
        position, data = serializer.instance, serializer.validated_data
        serializer.instance = services.position_update(
            position=position,
            acting_user=self.request.user,
            title=data.get("title", position.title),
            level=data.get("level", position.level),
            unit=data.get("unit", position.unit),
            is_unit_head=data.get("is_unit_head", position.is_unit_head),
        )


class OfficialFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")
    nip = filters.CharFilter(lookup_expr="startswith")

    class Meta:
        model = Official
        fields = ["name", "nip", "golongan", "sex"]


class OfficialViewSet(
    PemdaScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    serializer_class = OfficialSerializer
    filterset_class = OfficialFilter
    queryset = Official.objects.none()

    def get_queryset(self) -> QuerySet[Official]:
        officials = selectors.official_list_for(pemda=self.pemda, scope=self.scope)
        if self.request.query_params.get("nip"):
            # The NIP encodes the birth date and sex: searching by it is for those who may see it.
            visible = selectors.personal_data_list_for(user=self.request.user, pemda=self.pemda)
            officials = officials.filter(pk__in=visible.values("pk"))
        return officials

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self.shown = page
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        shown = getattr(self, "shown", None)
        if shown is not None:
            context["personal_ids"] = selectors.personal_data_visible(
                user=self.request.user, pemda=self.pemda, officials=shown
            )
        return context

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        nip, name = data.pop("nip"), data.pop("name")
        serializer.instance = services.official_create(
            pemda=self.pemda, acting_user=self.request.user, nip=nip, name=name, **data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "nip" in data and data.pop("nip") != serializer.instance.nip:
            raise ValidationError({"nip": "The NIP of a registered official cannot be changed."})
        serializer.instance = services.official_update(
            official=serializer.instance, acting_user=self.request.user, **data
        )


class ImportJobSerializer(TenantModelSerializer):
    error_groups = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "file_name",
            "status",
            "mode",
            "sheet",
            "sheets",
            "header_line",
            "headers",
            "mapping",
            "effective_date",
            "total_rows",
            "processed_rows",
            "summary",
            "error_groups",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_error_groups(self, job: ImportJob) -> list[dict[str, Any]]:
        return imports.error_groups(job)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    mode = serializers.ChoiceField(
        choices=ImportJob.Mode.choices, default=ImportJob.Mode.ALL_OR_NOTHING
    )
    effective_date = serializers.DateField(required=False, allow_null=True)
    sheet = serializers.CharField(required=False, allow_blank=True)


class ImportConfirmSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=ImportJob.Mode.choices, required=False)
    end_missing = serializers.BooleanField(default=False)
    unit_choices = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), required=False
    )


class ImportMapSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.CharField())


class ImportJobViewSet(PemdaScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """HR imports, the same steps as the page: upload (POST, multipart), status (GET), the
    preview with the row errors (GET preview/), mapping, confirm, cancel and undo (POST)."""

    permission = "org.import"
    write_permission = "org.import"
    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.none()

    def get_queryset(self) -> QuerySet[ImportJob]:
        return selectors.import_job_list_for(pemda=self.pemda)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        imports.import_jobs_expire(pemda=self.pemda)  # as the page does
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportJobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        job = imports.import_job_create(
            pemda=self.pemda,
            file_name=upload.name,
            content=imports.read_upload(upload),
            acting_user=request.user,
            mode=data.validated_data["mode"],
            effective_date=data.validated_data.get("effective_date"),
            sheet=data.validated_data.get("sheet") or None,
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = self.get_object()
        limit = request.query_params.get("limit", "")
        count = int(limit) if limit.isdigit() else 1000
        return Response(
            {
                "status": job.status,
                "preview": job.preview,
                "errors": job.errors[:count],
                "error_count": len(job.errors),
            }
        )

    @extend_schema(request=ImportConfirmSerializer, responses={200: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = self.get_object()
        data = ImportConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = imports.import_job_confirm(
            job=job,
            acting_user=request.user,
            mode=data.validated_data.get("mode"),
            end_missing=data.validated_data["end_missing"],
            unit_choices=data.validated_data.get("unit_choices"),
        )
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data)

    @extend_schema(request=ImportMapSerializer, responses={200: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def mapping(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = self.get_object()
        data = ImportMapSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = imports.import_job_map(
            job=job, mapping=data.validated_data["mapping"], acting_user=request.user
        )
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data)

    @extend_schema(request=None, responses={200: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = imports.import_job_cancel(job=self.get_object(), acting_user=request.user)
        return Response(ImportJobSerializer(job).data)

    @extend_schema(request=None, responses={200: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = imports.import_job_undo(job=self.get_object(), acting_user=request.user)
        return Response(ImportJobSerializer(job).data)
