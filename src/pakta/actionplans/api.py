"""API of action plans: plans (read; create with ``actionplans.manage``) and their items."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from pakta.actionplans import selectors, services
from pakta.actionplans.models import ActionItem, ActionPlan
from pakta.core.api import PemdaPermission, TenantModelSerializer, TenantRelated
from pakta.org.models import Official, Unit
from pakta.surveys.models import SpiFinding, Survey


class ActionItemSerializer(TenantModelSerializer):
    plan = TenantRelated(queryset=ActionPlan.objects.all())
    owner_unit = TenantRelated(queryset=Unit.objects.all())
    owner = TenantRelated(queryset=Official.objects.all(), required=False, allow_null=True)
    finding = TenantRelated(queryset=SpiFinding.objects.all(), required=False, allow_null=True)
    late = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "plan",
            "recommendation",
            "finding",
            "dimension",
            "title",
            "owner_unit",
            "owner",
            "due_date",
            "required_output",
            "status",
            "return_reason",
            "verified_at",
            "late",
        ]
        read_only_fields = ["status", "return_reason", "verified_at"]

    def get_late(self, item: ActionItem) -> bool:
        from django.utils import timezone

        return item.is_late(timezone.localdate())


class ActionPlanSerializer(TenantModelSerializer):
    finding = TenantRelated(queryset=SpiFinding.objects.all(), required=False, allow_null=True)
    survey = TenantRelated(queryset=Survey.objects.all(), required=False, allow_null=True)
    total = serializers.IntegerField(read_only=True)
    done = serializers.IntegerField(read_only=True)
    late = serializers.IntegerField(read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "title",
            "source",
            "letter_number",
            "letter_date",
            "finding",
            "survey",
            "description",
            "total",
            "done",
            "late",
        ]


class PlansApi(viewsets.GenericViewSet):
    permission_classes = [PemdaPermission]
    permission = "actionplans.view"
    write_permission = "actionplans.manage"
    pemda: Any


class ActionPlanViewSet(
    PlansApi, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    serializer_class = ActionPlanSerializer
    queryset = ActionPlan.objects.none()

    def get_queryset(self) -> QuerySet[ActionPlan]:
        return selectors.action_plan_list_for(pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        plan = services.action_plan_create(pemda=self.pemda, acting_user=self.request.user, **data)
        serializer.instance = selectors.action_plan_list_for(pemda=self.pemda).get(pk=plan.pk)


class ActionItemViewSet(
    PlansApi, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    serializer_class = ActionItemSerializer
    queryset = ActionItem.objects.none()

    def get_queryset(self) -> QuerySet[ActionItem]:
        return selectors.action_item_list_for(pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        plan = data.pop("plan")
        serializer.instance = services.action_item_add(
            plan=plan, acting_user=self.request.user, **data
        )
