"""Writes of the procurement app. ``packages`` holds the hand entry of a package with its
committee and tenderers (issue 17 builds on it); ``ocds`` the OCDS import; ``cases`` the
Inspektorat's cases."""

from pakta.procurement.services.packages import (
    BidInput,
    package_create,
    party_get_or_create,
    party_person_add,
)

__all__ = ["BidInput", "package_create", "party_get_or_create", "party_person_add"]
