"""Reads of the conflicts app, scoped by Pemda; declarations only for their official and the
Inspektorat (another's declaration is a 404, not a 403: its existence is not disclosed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from pakta.conflicts.models import (
    Decision,
    DecisionDeclaration,
    DecisionMember,
    Finding,
    Recusal,
    StandingDeclaration,
)
from pakta.conflicts.permissions import can_read_declaration
from pakta.core.permissions import has_permission
from pakta.org.models import Pemda, Unit
from pakta.org.selectors import unit_scope_q

if TYPE_CHECKING:
    from pakta.procurement.models import Package


def declaration_list_for(*, user: Any, pemda: Pemda) -> QuerySet[StandingDeclaration]:
    qs = StandingDeclaration.objects.filter(pemda=pemda).select_related("official")
    if has_permission(user, pemda, "conflicts.review"):
        return qs
    return qs.filter(official_id=getattr(user, "official_id", None) or 0)


def own_declarations(*, user: Any, pemda: Pemda) -> QuerySet[StandingDeclaration]:
    """The user's own standing declarations (none for an account without an official)."""
    return StandingDeclaration.objects.filter(
        pemda=pemda, official_id=getattr(user, "official_id", None) or 0
    )


def own_decision_declarations(*, user: Any, pemda: Pemda) -> QuerySet[DecisionDeclaration]:
    """The declarations the user's official made as a member of a decision (none for an
    account without an official)."""
    return DecisionDeclaration.objects.filter(
        pemda=pemda, member__official_id=getattr(user, "official_id", None) or 0
    )


def current_decision_declarations(*, decision: Decision) -> QuerySet[DecisionDeclaration]:
    """The members' current declarations for one decision."""
    return DecisionDeclaration.objects.filter(member__decision=decision, is_current=True)


def declaration_get_for(*, user: Any, pemda: Pemda, pk: int) -> StandingDeclaration:
    declaration = get_object_or_404(
        StandingDeclaration.objects.select_related("official", "pemda", "document"),
        pemda=pemda,
        pk=pk,
    )
    if not can_read_declaration(user, declaration):
        raise Http404
    return declaration


def decision_list_for(*, pemda: Pemda, scope: Sequence[Unit] | None = None) -> QuerySet[Decision]:
    qs = Decision.objects.filter(pemda=pemda).select_related("unit")
    qs = qs.filter(unit_scope_q(scope, "unit__"))
    return qs.order_by("-risk_score", "-created_at")


def decision_get_for(*, pemda: Pemda, pk: int, scope: Sequence[Unit] | None = None) -> Decision:
    return get_object_or_404(decision_list_for(pemda=pemda, scope=scope), pk=pk)


def decisions_to_declare(*, user: Any, pemda: Pemda) -> list[DecisionMember]:
    return list(
        DecisionMember.objects.filter(
            pemda=pemda,
            official_id=getattr(user, "official_id", None) or 0,
            is_active=True,
            decision__recorded_clean_at__isnull=True,
        )
        .select_related("decision")
        .annotate(current=Count("declarations", filter=Q(declarations__is_current=True)))
    )


def finding_queue(*, pemda: Pemda, status: str = Finding.Status.OPEN) -> QuerySet[Finding]:
    """Findings by the risk of their declaration or decision, then their own weight and score."""
    qs = Finding.objects.filter(pemda=pemda).select_related("official", "declaration", "decision")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-declaration__risk_score", "-decision__risk_score", "-weight", "-score")


def declaration_queue(*, pemda: Pemda) -> QuerySet[StandingDeclaration]:
    return (
        StandingDeclaration.objects.filter(
            pemda=pemda,
            status__in=[
                StandingDeclaration.Status.SUBMITTED,
                StandingDeclaration.Status.CORRECTION,
            ],
        )
        .select_related("official")
        .annotate(open_findings=Count("findings", filter=Q(findings__status=Finding.Status.OPEN)))
        .order_by("-risk_score", "-submitted_at")
    )


def finding_get_for(*, pemda: Pemda, pk: int) -> Finding:
    return get_object_or_404(finding_queue(pemda=pemda, status=""), pk=pk)


def recusal_list_for(*, pemda: Pemda) -> QuerySet[Recusal]:
    return Recusal.objects.filter(pemda=pemda).select_related(
        "decision", "member__official", "substitute__official"
    )


def packages_without_decision(*, pemda: Pemda, scope: Sequence[Unit] | None = None) -> Any:
    """The procurement app's packages (of the scope's units) not yet mirrored into a decision."""
    from pakta.procurement.models import Package

    qs = Package.objects.filter(pemda=pemda, coi_decision__isnull=True).exclude(
        procuring_unit__isnull=True, buyer__isnull=True
    )
    if scope is not None:
        qs = qs.filter(unit_scope_q(scope, "procuring_unit__") | unit_scope_q(scope, "buyer__"))
    return qs.order_by("-year", "-pk")


def package_get_for(*, pemda: Pemda, pk: int) -> Package:
    """A procurement package of the Pemda, to mirror into a decision (404 if none)."""
    from pakta.procurement.models import Package

    return get_object_or_404(Package, pemda=pemda, pk=pk)
