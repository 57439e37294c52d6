"""What waits for a user in the Perjanjian Kinerja ("Tugas saya"), and telling them of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pakta.core.todo import Todo, register_todo
from pakta.notifications.services import todo_announce
from pakta.performance import selectors
from pakta.performance.models import QUARTER_LABELS, PerformanceAgreement, Realization

Status = PerformanceAgreement.Status
LIMIT = 50


def _roman(quarter: int) -> str:
    """ "III" for the third quarter, as in "TW III"."""
    return QUARTER_LABELS[quarter].removeprefix("TW ")


def _agreement_url(agreement: PerformanceAgreement, pemda: Any) -> str:
    return reverse("performance:agreement_detail", kwargs={"pemda": pemda.slug, "pk": agreement.pk})


def agreements_to_sign(*, user: Any, pemda: Any) -> Any:
    """The user's own approved agreements not signed by them yet (also in "My signatures")."""
    return (
        selectors.my_agreements(user=user, pemda=pemda)
        .filter(status=Status.APPROVED, first_party_signed_at__isnull=True)
        .order_by("due_date", "approved_at")
    )


def performance_todos(user: Any, pemda: Any) -> Iterable[Todo]:
    """Four queries: own agreements (to sign or correct), agreements to review or countersign,
    realizations to verify, realizations returned for correction."""
    if not getattr(user, "official_id", None):
        return
    own = selectors.my_agreements(user=user, pemda=pemda).filter(
        is_current=True, status__in=(Status.APPROVED, Status.RETURNED)
    )
    for agreement in own[:LIMIT]:
        if agreement.status == Status.APPROVED and agreement.first_party_signed_at is None:
            yield Todo(
                kind="performance.sign",
                title=_("Sign your Perjanjian Kinerja %(year)s") % {"year": agreement.year},
                url=_agreement_url(agreement, pemda),
                since=agreement.approved_at,
                due=agreement.due_date,
            )
        elif agreement.status == Status.RETURNED:
            yield Todo(
                kind="performance.correct",
                title=_("Correct your Perjanjian Kinerja %(year)s and submit it again")
                % {"year": agreement.year},
                url=_agreement_url(agreement, pemda),
                since=agreement.updated_at,
                due=agreement.due_date,
            )
    for agreement in selectors.agreements_to_review(user=user, pemda=pemda)[:LIMIT]:
        values = {"year": agreement.year, "name": agreement.official.full_name}
        if agreement.status == Status.SUBMITTED:
            yield Todo(
                kind="performance.review",
                title=_("Review the Perjanjian Kinerja %(year)s of %(name)s") % values,
                url=_agreement_url(agreement, pemda),
                since=agreement.submitted_at,
                due=agreement.due_date,
            )
        else:
            yield Todo(
                kind="performance.countersign",
                title=_("Countersign the Perjanjian Kinerja %(year)s of %(name)s") % values,
                url=_agreement_url(agreement, pemda),
                since=agreement.first_party_signed_at,
                due=agreement.due_date,
            )
    to_verify = selectors.realizations_to_verify(user=user, pemda=pemda).prefetch_related(None)
    for realization in to_verify[:LIMIT]:
        yield Todo(
            kind="performance.verify",
            title=_("Verify the TW %(quarter)s realization of “%(indicator)s” (%(name)s)")
            % {
                "quarter": _roman(realization.quarter),
                "indicator": realization.indicator.name,
                "name": realization.agreement.official.full_name,
            },
            url=_agreement_url(realization.agreement, pemda),
            since=realization.submitted_at,
        )
    returned = (
        Realization.objects.filter(
            pemda=pemda,
            agreement__official_id=user.official_id,
            agreement__is_current=True,
            status=Realization.Status.RETURNED,
        )
        .select_related("indicator", "agreement")
        .order_by("updated_at")
    )
    for realization in returned[:LIMIT]:
        yield Todo(
            kind="performance.realization_correct",
            title=_("Correct the TW %(quarter)s realization of “%(indicator)s”")
            % {"quarter": _roman(realization.quarter), "indicator": realization.indicator.name},
            url=_agreement_url(realization.agreement, pemda),
            since=realization.updated_at,
        )


register_todo("performance", performance_todos)


# --- Announcing a task when it appears ------------------------------------------------------------


def _announce(
    official_id: int | None,
    agreement: PerformanceAgreement,
    subject: Any,
    kind: str = "",
) -> int:
    def render(user: Any) -> tuple[str, str]:
        text = subject()
        return text, text

    def group(user: Any, count: int) -> tuple[str, str]:
        text = GROUPED[kind](count) % {"count": count}
        return text, text

    return todo_announce(
        official_ids=[official_id],
        render=render,
        url=_agreement_url(agreement, agreement.pemda),
        pemda=agreement.pemda,
        kind=kind,
        group=group if kind else None,
        # "Tugas saya" (Beranda) lists them all, for a superior of any role.
        group_url=reverse("org:pemda_home", kwargs={"pemda": agreement.pemda.slug}),
    )


# The text of a grouped notification ("12 realisasi menunggu verifikasi Anda"), per kind.
GROUPED = {
    "performance.review": lambda n: ngettext(
        "%(count)s Perjanjian Kinerja waits for your review",
        "%(count)s Perjanjian Kinerja wait for your review",
        n,
    ),
    "performance.countersign": lambda n: ngettext(
        "%(count)s Perjanjian Kinerja waits for your countersignature",
        "%(count)s Perjanjian Kinerja wait for your countersignature",
        n,
    ),
    "performance.verify": lambda n: ngettext(
        "%(count)s realization waits for your verification",
        "%(count)s realizations wait for your verification",
        n,
    ),
    "performance.realization_correct": lambda n: ngettext(
        "%(count)s realization was returned to you for correction",
        "%(count)s realizations were returned to you for correction",
        n,
    ),
}


def announce_agreement(agreement: PerformanceAgreement, event: str) -> int:
    """Tell whoever the agreement now waits for: ``submitted`` (the superior reviews), ``approved``
    (the official signs), ``returned`` (the official corrects), ``first_signed`` (the superior
    countersigns)."""
    values = {"year": agreement.year, "name": agreement.official.full_name}
    if event == "submitted":
        return _announce(
            agreement.superior_id,
            agreement,
            lambda: _("The Perjanjian Kinerja %(year)s of %(name)s waits for your review") % values,
            "performance.review",
        )
    if event == "approved":
        return _announce(
            agreement.official_id,
            agreement,
            lambda: (
                _("Your Perjanjian Kinerja %(year)s is approved and waits for your signature")
                % values
            ),
        )
    if event == "returned":
        return _announce(
            agreement.official_id,
            agreement,
            lambda: _("Your Perjanjian Kinerja %(year)s was returned for correction") % values,
        )
    if event == "first_signed":
        return _announce(
            agreement.superior_id,
            agreement,
            lambda: (
                _("The Perjanjian Kinerja %(year)s of %(name)s waits for your countersignature")
                % values
            ),
            "performance.countersign",
        )
    return 0


def announce_realization(realization: Realization, event: str) -> int:
    """``submitted``: the superior verifies; ``returned``: the official corrects."""
    agreement = realization.agreement
    values = {
        "quarter": _roman(realization.quarter),
        "indicator": realization.indicator.name,
        "name": agreement.official.full_name,
    }
    if event == "submitted":
        return _announce(
            agreement.superior_id,
            agreement,
            lambda: (
                _("%(name)s reported the TW %(quarter)s realization of “%(indicator)s”: verify it")
                % values
            ),
            "performance.verify",
        )
    if event == "returned":
        return _announce(
            agreement.official_id,
            agreement,
            lambda: (
                _("Your TW %(quarter)s realization of “%(indicator)s” was returned for correction")
                % values
            ),
            "performance.realization_correct",
        )
    return 0
