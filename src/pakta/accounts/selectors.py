from __future__ import annotations

import functools
from typing import Any

from django.db import models
from django.db.models import QuerySet

from pakta.accounts.models import Membership, User
from pakta.org.models import Pemda


def pemda_list_for(*, user: Any) -> QuerySet[Pemda]:
    """The Pemda a user works in: all of them for a superadmin."""
    if user.is_superuser:
        return Pemda.objects.all()
    return Pemda.objects.filter(memberships__user=user).distinct()


def user_list_for(*, pemda: Pemda) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__pemda=pemda)
        .distinct()
        .select_related("official")
        .order_by("username")
    )


def membership_list_for(*, pemda: Pemda) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(pemda=pemda)
        .select_related("user", "unit")
        .order_by("user__username", "role")
    )


def own_data(*, user: Any) -> dict[str, Any]:
    """What Pakta holds about the user themselves ("Data saya"): the account, the official it
    is linked to with their assignments, the roles, and the documents they signed."""
    from pakta.org.models import Assignment
    from pakta.signing.models import SignedDocument, documents_with_state

    official = user.official
    documents = (
        list(
            SignedDocument.objects.filter(signatures__official=official)
            .select_related("pemda")
            .distinct()
            .order_by("-created_at")
        )
        if official
        else []
    )
    documents_with_state(documents)  # superseded, withdrawn or revoked, with the date
    return {
        "user": user,
        "official": official,
        "memberships": list(user.memberships.select_related("pemda", "unit")),
        "assignments": list(
            Assignment.objects.filter(official=official)
            .select_related("position__unit")
            .order_by("-start_date")
        )
        if official
        else [],
        "documents": documents,
    }


def own_document(*, user: Any, token: str) -> Any:
    """A document the user signed, by its token; None for any other."""
    from pakta.signing.models import SignedDocument

    if not user.official_id:
        return None
    return (
        SignedDocument.objects.filter(token=token, signatures__official_id=user.official_id)
        .select_related("pdf")
        .first()
    )


def role_request_list_for(*, pemda: Pemda) -> QuerySet[Any]:
    from pakta.accounts.models import RoleRequest

    return RoleRequest.objects.filter(pemda=pemda).select_related(
        "user", "requested_by", "decided_by", "unit"
    )


def escrow_request_of(*, user: Any, pemda: Pemda) -> Any:
    """The user's latest request to hold the escrow key that is still waiting or usable: the
    escrow page shows it (pending, or approved and not yet used), else None."""
    from pakta.accounts.models import RoleRequest
    from pakta.core.roles import ESCROW_HOLDER

    return (
        RoleRequest.objects.filter(user_id=user.pk, pemda=pemda, role=ESCROW_HOLDER)
        .filter(
            models.Q(status=RoleRequest.Status.PENDING)
            | models.Q(status=RoleRequest.Status.APPROVED, used_at__isnull=True)
        )
        .select_related("decided_by")
        .order_by("-created_at")
        .first()
    )


def role_requests_pending_for(*, pemda: Pemda) -> QuerySet[Any]:
    from pakta.accounts.models import RoleRequest

    return role_request_list_for(pemda=pemda).filter(status=RoleRequest.Status.PENDING)


def has_confirmed_device(user: Any) -> bool:
    """Whether ``user`` has a confirmed second-factor device of any kind (TOTP, recovery codes):
    ``django_otp.user_has_device`` in one query (an EXISTS over the kinds' UNION ALL), where it
    runs one per kind for a user without a device, on every page in demo mode. Never kept: a
    device enrolled in another session is asked for on the next page."""
    if not getattr(user, "is_authenticated", False):
        return False
    kinds = [
        model._default_manager.filter(user_id=user.pk, confirmed=True).values("pk")
        for model in _device_classes()
    ]
    if not kinds:
        return False
    return kinds[0].union(*kinds[1:], all=True).exists()


@functools.cache
def _device_classes() -> tuple[type[models.Model], ...]:
    from django_otp import device_classes

    return tuple(device_classes())
