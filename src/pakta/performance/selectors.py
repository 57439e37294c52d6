"""Reads of performance agreements, scoped to a Pemda, a unit subtree, or the people named on
an agreement; and the dashboards' reads of the aggregates the services keep."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pakta.core.paging import block_key_page, key_page
from pakta.core.permissions import has_permission, unit_scope
from pakta.org.models import Pemda, Unit
from pakta.org.selectors import unit_in_scope, unit_scope_q
from pakta.performance.achievement import AchievementResult, band
from pakta.performance.measure import result_for
from pakta.performance.models import (
    QUARTERS,
    AchievementFigures,
    AchievementRollup,
    AgreementAchievement,
    AgreementCount,
    BudgetCalendar,
    EvidenceFile,
    Goal,
    Indicator,
    PerformanceAgreement,
    Programme,
    QuarterTarget,
    Realization,
)
from pakta.signing.models import Signature

Status = PerformanceAgreement.Status


def visible_q(*, user: Any, pemda: Pemda, prefix: str = "") -> Q:
    """Agreements the user may see: their own, those they are the second party of, and (with
    ``performance.view``) those of their unit scope."""
    if has_permission(user, pemda, "performance.view"):
        scope = unit_scope(user, pemda, "performance.view")
        if scope is None:
            return Q()
        q = unit_scope_q(scope, f"{prefix}unit__")
    else:
        q = Q(pk__in=[])
    official_id = getattr(user, "official_id", None)
    if official_id:
        q |= Q(**{f"{prefix}official_id": official_id}) | Q(**{f"{prefix}superior_id": official_id})
    return q


def agreement_list_for(
    *,
    pemda: Pemda,
    scope: Sequence[Unit] | None = None,
    year: int | None = None,
    status: str = "",
    unit: Unit | None = None,
    overdue: bool = False,
    current_only: bool = True,
    search: str = "",
) -> QuerySet[PerformanceAgreement]:
    """The agreement register of a Pemda (unit-scoped for Kepala OPD)."""
    qs = PerformanceAgreement.objects.filter(pemda=pemda).filter(unit_scope_q(scope, "unit__"))
    if current_only:
        qs = qs.filter(is_current=True)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit_scope_q([unit], "unit__"))
    if overdue:
        qs = overdue_filter(qs)
    if search:
        qs = qs.filter(Q(official__name__icontains=search) | Q(official__nip__startswith=search))
    # pk last: namesakes keep their page (PostgreSQL returned two of the same name and version in
    # either order, so a page could repeat one and skip the other).
    return qs.select_related("official", "superior", "unit", "pemda").order_by(
        "-year", "unit__path", "official__name", "-version", "pk"
    )


# The statuses an agreement can be overdue in: every one but signed and superseded.
OPEN_STATUSES = [s for s in Status.values if s not in (Status.SIGNED, Status.SUPERSEDED)]


def agreement_register_page(
    qs: QuerySet[PerformanceAgreement], *, number: Any, per_page: int = 50
) -> Page:
    """A page of ``agreement_list_for(year=...)``: of one year, its order starts with the unit's
    path, so the page is read from the units it falls in (``core.paging.block_key_page``)."""
    return block_key_page(qs, per_page, number, block="unit", order="path")


def overdue_filter(qs: QuerySet[PerformanceAgreement]) -> QuerySet[PerformanceAgreement]:
    # Both forms of the same condition: the exclusion matches the partial index
    # performance_agr_overdue on PostgreSQL (its condition, literally); the list of open statuses
    # lets SQLite, which cannot match bound parameters to that condition, seek them in
    # performance_agr_current instead of reading the Pemda's 60,000 agreements of the year
    # (a count of 14 ms at the largest Pemda became 1 ms; docs/scale.md).
    return (
        qs.filter(is_current=True, due_date__lt=timezone.localdate())
        .exclude(status__in=[Status.SIGNED, Status.SUPERSEDED])
        .filter(status__in=OPEN_STATUSES)
    )


def agreement_overdue(*, pemda: Pemda, year: int | None = None) -> QuerySet[PerformanceAgreement]:
    """Current agreements not signed by their due date (the DPA date + the configured days)."""
    return agreement_list_for(pemda=pemda, year=year, overdue=True)


def agreement_list_visible(*, user: Any, pemda: Pemda) -> QuerySet[PerformanceAgreement]:
    """Every agreement version the user may see (the API's list)."""
    return (
        PerformanceAgreement.objects.filter(pemda=pemda)
        .filter(visible_q(user=user, pemda=pemda))
        .select_related("official", "superior", "unit", "pemda")
        .order_by("-year", "official__name", "-version")
    )


def agreement_get_visible(*, user: Any, pemda: Pemda, pk: int) -> PerformanceAgreement:
    return get_object_or_404(agreement_list_visible(user=user, pemda=pemda), pk=pk)


def my_agreements(*, user: Any, pemda: Pemda) -> QuerySet[PerformanceAgreement]:
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return PerformanceAgreement.objects.none()
    return (
        PerformanceAgreement.objects.filter(pemda=pemda, official_id=official_id)
        .select_related("superior", "unit", "pemda")
        .order_by("-year", "-version")
    )


def agreements_to_review(*, user: Any, pemda: Pemda) -> QuerySet[PerformanceAgreement]:
    """Agreements waiting for the user as second party: to approve, or to countersign."""
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return PerformanceAgreement.objects.none()
    return (
        PerformanceAgreement.objects.filter(pemda=pemda, superior_id=official_id)
        .filter(
            Q(status=Status.SUBMITTED)
            | Q(status=Status.APPROVED, first_party_signed_at__isnull=False)
        )
        .select_related("official", "pemda")
        .order_by("submitted_at")
    )


def realizations_to_verify(*, user: Any, pemda: Pemda) -> QuerySet[Realization]:
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return Realization.objects.none()
    return (
        Realization.objects.filter(
            pemda=pemda,
            agreement__superior_id=official_id,
            agreement__is_current=True,
            status=Realization.Status.SUBMITTED,
        )
        .select_related("indicator", "agreement__official")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )


# --- Objects inside an agreement (reached through a visible agreement) --------------------------


def _inside(model: Any, *, user: Any, pemda: Pemda, pk: int, prefix: str) -> Any:
    qs = model.objects.filter(**{f"{prefix}pemda": pemda}).filter(
        visible_q(user=user, pemda=pemda, prefix=prefix)
    )
    return get_object_or_404(qs.select_related(prefix.rstrip("_")), pk=pk)


def goal_get_visible(*, user: Any, pemda: Pemda, pk: int) -> Goal:
    goal: Goal = _inside(Goal, user=user, pemda=pemda, pk=pk, prefix="agreement__")
    return goal


def indicator_get_visible(*, user: Any, pemda: Pemda, pk: int) -> Indicator:
    indicator: Indicator = _inside(Indicator, user=user, pemda=pemda, pk=pk, prefix="agreement__")
    return indicator


def programme_get_visible(*, user: Any, pemda: Pemda, pk: int) -> Programme:
    programme: Programme = _inside(Programme, user=user, pemda=pemda, pk=pk, prefix="agreement__")
    return programme


def realization_get_visible(*, user: Any, pemda: Pemda, pk: int) -> Realization:
    realization: Realization = _inside(
        Realization, user=user, pemda=pemda, pk=pk, prefix="agreement__"
    )
    return realization


def evidence_get_visible(*, user: Any, pemda: Pemda, pk: int) -> EvidenceFile:
    qs = EvidenceFile.objects.filter(realization__pemda=pemda).filter(
        visible_q(user=user, pemda=pemda, prefix="realization__agreement__")
    )
    return get_object_or_404(qs.select_related("document", "realization"), pk=pk)


def indicator_list_visible(*, user: Any, pemda: Pemda) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(agreement__pemda=pemda)
        .filter(visible_q(user=user, pemda=pemda, prefix="agreement__"))
        .select_related("goal", "agreement")
        .prefetch_related("targets")
        .order_by("agreement_id", "goal__order", "order", "pk")
    )


def target_list_visible(*, user: Any, pemda: Pemda) -> QuerySet[QuarterTarget]:
    return (
        QuarterTarget.objects.filter(indicator__agreement__pemda=pemda)
        .filter(visible_q(user=user, pemda=pemda, prefix="indicator__agreement__"))
        .select_related("indicator")
        .order_by("indicator_id", "quarter")
    )


def realization_list_visible(*, user: Any, pemda: Pemda) -> QuerySet[Realization]:
    return (
        Realization.objects.filter(pemda=pemda)
        .filter(visible_q(user=user, pemda=pemda, prefix="agreement__"))
        .select_related("indicator", "agreement")
        .prefetch_related("evidence")
        .order_by("agreement_id", "indicator_id", "quarter")
    )


def achievement_list_visible(*, user: Any, pemda: Pemda) -> QuerySet[AgreementAchievement]:
    return (
        AgreementAchievement.objects.filter(pemda=pemda)
        .filter(visible_q(user=user, pemda=pemda, prefix="agreement__"))
        .select_related("agreement__official", "unit")
        .order_by("-year", "agreement_id", "quarter")
    )


def agreement_signatures(*, agreement: PerformanceAgreement) -> QuerySet[Signature]:
    if agreement.document_id is None:
        return Signature.objects.none()
    return Signature.objects.filter(document_id=agreement.document_id).order_by("signed_at")


def agreement_versions(*, agreement: PerformanceAgreement) -> QuerySet[PerformanceAgreement]:
    """Every version of the official's agreement for the year (the revision history)."""
    return (
        PerformanceAgreement.objects.filter(
            pemda_id=agreement.pemda_id, official_id=agreement.official_id, year=agreement.year
        )
        .select_related("trigger_assignment__position", "document", "superior")
        .order_by("version")
    )


# --- The agreement as a table: indicators x quarters with targets, realizations, capaian ------


@dataclass
class Cell:
    quarter: int
    target: Any
    target_upper: Any
    realization: Realization | None
    result: AchievementResult
    band: str = ""


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[Cell] = field(default_factory=list)


@dataclass
class GoalBlock:
    goal: Goal
    rows: list[IndicatorRow] = field(default_factory=list)


def agreement_table(*, agreement: PerformanceAgreement) -> list[GoalBlock]:
    """Goals with their indicators, each with its four quarters (four queries in all)."""
    goals = list(agreement.goals.order_by("order", "pk"))
    indicators = list(agreement.indicators.order_by("order", "pk"))
    targets: dict[int, dict[int, QuarterTarget]] = {}
    for target_row in QuarterTarget.objects.filter(indicator__agreement=agreement):
        targets.setdefault(target_row.indicator_id, {})[target_row.quarter] = target_row
    realizations = {
        (r.indicator_id, r.quarter): r
        for r in Realization.objects.filter(agreement=agreement).prefetch_related("evidence")
    }
    blocks = {g.pk: GoalBlock(goal=g) for g in goals}
    for indicator in indicators:
        row = IndicatorRow(indicator=indicator)
        own = targets.get(indicator.pk, {})
        for quarter in QUARTERS:
            realization = realizations.get((indicator.pk, quarter))
            explicit = own.get(quarter)
            result = result_for(indicator, quarter, own, realization)
            row.cells.append(
                Cell(
                    quarter=quarter,
                    target=explicit.target if explicit else None,
                    target_upper=explicit.target_upper if explicit else None,
                    realization=realization,
                    result=result,
                    band=band(result.value),
                )
            )
        blocks[indicator.goal_id].rows.append(row)
    return list(blocks.values())


def agreement_achievement(*, agreement: PerformanceAgreement) -> dict[int, Decimal | None]:
    """The weighted achievement per quarter from the kept aggregate rows."""
    rows = {r.quarter: r for r in AgreementAchievement.objects.filter(agreement=agreement)}
    return {q: rows[q].achievement if q in rows else None for q in QUARTERS}


# --- Dashboards' reads of the aggregates ---------------------------------------------------------


def _sum_figures(qs: QuerySet[Any]) -> dict[str, Any]:
    return qs.aggregate(**{name: Sum(name) for name in AchievementFigures.FIGURES})


def rollup_by_unit(
    *, pemda: Pemda, year: int, scope: Sequence[Unit] | None = None
) -> QuerySet[AchievementRollup]:
    """The unit x quarter rows of a Pemda (the heat map): a few hundred rows at most."""
    qs = AchievementRollup.objects.filter(pemda=pemda, year=year)
    qs = qs.filter(unit_scope_q(scope, "unit__"))
    return qs.select_related("unit").order_by("unit__name", "quarter")


def pemda_achievement(*, pemda: Pemda, year: int) -> dict[int, Decimal | None]:
    """The Pemda's weighted achievement per quarter, summed from the unit roll-ups."""
    result: dict[int, Decimal | None] = dict.fromkeys(QUARTERS)
    rows = (
        AchievementRollup.objects.filter(pemda=pemda, year=year)
        .values("quarter")
        .annotate(ws=Sum("weighted_sum"), wt=Sum("weight_total"))
    )
    for row in rows:
        if row["wt"]:
            result[row["quarter"]] = (Decimal(row["ws"]) / Decimal(row["wt"])).quantize(
                Decimal("0.01")
            )
    return result


def unit_achievement(*, pemda: Pemda, unit: Unit, year: int) -> QuerySet[AgreementAchievement]:
    """The agreement x quarter rows of one unit (the unit-level dashboard)."""
    return (
        AgreementAchievement.objects.filter(pemda=pemda, unit=unit, year=year)
        .select_related("agreement__official")
        .order_by("agreement__official__name", "quarter")
    )


def agreement_counts(
    *, pemda: Pemda, year: int, scope: Sequence[Unit] | None = None
) -> QuerySet[AgreementCount]:
    qs = AgreementCount.objects.filter(pemda=pemda, year=year)
    qs = qs.filter(unit_scope_q(scope, "unit__"))
    return qs.select_related("unit").order_by("unit__name")


def budget_calendar(*, pemda: Pemda) -> QuerySet[BudgetCalendar]:
    return BudgetCalendar.objects.filter(pemda=pemda).order_by("-year")


# --- The cascade tree (pohon kinerja) -----------------------------------------------------------


def cascade_sources(*, agreement: PerformanceAgreement) -> QuerySet[Indicator]:
    """The indicators that may be cascaded into ``agreement``: those of the superior's current
    agreement of the same year (what ``indicator_cascade`` accepts)."""
    return Indicator.objects.filter(
        agreement__pemda_id=agreement.pemda_id,
        agreement__official_id=agreement.superior_id or 0,
        agreement__year=agreement.year,
        agreement__is_current=True,
    ).select_related("goal")


@dataclass
class TreeNode:
    indicator: Indicator
    children: list[TreeNode] = field(default_factory=list)


def cascade_tree_indicators(
    *,
    pemda: Pemda,
    year: int,
    unit: Unit | None = None,
    scope: Sequence[Unit] | None = None,
) -> QuerySet[Indicator]:
    """The indicators the cascade tree shows: the current agreements of the year, of the OPD
    ``unit`` when given, and of the user's ``scope`` (the indicators an indicator of the scope was
    cascaded from are added by ``cascade_tree``)."""
    indicators = Indicator.objects.filter(
        agreement__pemda=pemda, agreement__year=year, agreement__is_current=True
    )
    indicators = indicators.filter(unit_scope_q(scope, "agreement__unit__"))
    if unit is not None:
        # An agreement's unit is its OPD (top_unit of the position): one OPD's indicators are
        # those of its agreements (an index look-up, not a scan of the Pemda's by path).
        indicators = indicators.filter(agreement__unit=unit)
    return indicators


TREE_RELATED = ("agreement__official", "goal", "agreement__unit")
# A total order (the agreement, then the key break ties), so pages neither overlap nor skip, and
# two officials of the same name are not interleaved.
TREE_ORDER = (
    "agreement__unit__path",
    "agreement__official__name",
    "agreement_id",
    "goal__order",
    "order",
    "pk",
)


def cascade_tree_page(
    *,
    pemda: Pemda,
    year: int,
    unit: Unit | None,
    scope: Sequence[Unit] | None,
    per_page: int,
    number: Any,
) -> Page:
    """A page of the cascade tree's indicators in tree order (with their agreement, official,
    goal and unit), for ``cascade_tree(indicators=page.object_list)``.

    One OPD's agreements all share its unit, so its tree order starts with the official's name:
    the page is read from the agreements it falls in (``core.paging.block_key_page``: indicator
    counts per agreement, the agreements in order, then only those agreements' indicators).
    Sorting the page out of the largest OPD's 6,460 indicators joined to their agreements,
    goals, officials and units took PostgreSQL 65-78 ms of a 114 ms page at 60,000 officials.
    The whole Pemda sorts the keys only (``key_page``)."""
    query = (
        cascade_tree_indicators(pemda=pemda, year=year, unit=unit, scope=scope)
        .select_related(*TREE_RELATED)
        .order_by(*TREE_ORDER)
    )
    if unit is not None:
        return block_key_page(query, per_page, number, block="agreement", order="official__name")
    return key_page(query, per_page, number)


def cascade_tree(
    *,
    pemda: Pemda,
    year: int,
    scope: Sequence[Unit] | None = None,
    unit: Unit | None = None,
    indicators: Sequence[Indicator] | None = None,
) -> list[TreeNode]:
    """The current agreements' indicators of a year as a forest: each indicator under the one it
    was cascaded from. Roots are the indicators cascaded from nothing (one query). ``unit``
    keeps one unit's subtree; ``indicators`` (a page of ``cascade_tree_page``) builds the forest
    of that page only (an indicator whose parent falls outside becomes a root), so the largest
    Pemda's page stays bounded."""
    related = TREE_RELATED
    rows = list(
        indicators
        if indicators is not None
        else cascade_tree_indicators(pemda=pemda, year=year, unit=unit, scope=scope)
        .select_related(*related)
        .order_by(*TREE_ORDER)
    )
    # The indicators those were cascaded from, outside the unit or the scope (a query a level).
    loaded = {i.pk for i in rows}
    missing = {i.cascaded_from_id for i in rows if i.cascaded_from_id} - loaded
    for _level in range(8):
        if not missing or unit is not None:
            break
        parents = list(Indicator.objects.filter(pk__in=missing).select_related(*related))
        rows.extend(parents)
        loaded |= {p.pk for p in parents}
        missing = {p.cascaded_from_id for p in parents if p.cascaded_from_id} - loaded
    nodes = {i.pk: TreeNode(indicator=i) for i in rows}
    roots: list[TreeNode] = []
    for indicator in rows:
        node = nodes[indicator.pk]
        parent = nodes.get(indicator.cascaded_from_id) if indicator.cascaded_from_id else None
        if parent is not None:
            parent.children.append(node)
        else:
            roots.append(node)
    if scope is not None:

        def visible(node: TreeNode) -> bool:
            inside = unit_in_scope(node.indicator.agreement.unit, scope)
            return inside or any(visible(c) for c in node.children)

        roots = [r for r in roots if visible(r)]
    return roots
