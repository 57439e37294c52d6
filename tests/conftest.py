"""Shared fixtures: two Pemda (A and B), one user per role in A, and a user of B.

Set-up goes through services, as a user would, so every fixture also writes audit events.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant, user_create
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position, Unit
from tests.db_template import django_db_setup  # noqa: F401 (overrides pytest-django's)

# Playwright fixtures (one Chromium per session) shared by every test package.
pytest_plugins = ["tests.browser.fixtures"]

PASSWORD = "correct-horse-battery-staple"
IN_CI = os.environ.get("CI", "").lower() == "true"


# RSA keys take 0.1-0.7 s each to generate. Every test gets the same sequence of distinct real
# keys (the n-th key a test asks for is the n-th key of the pool), made once per session.
_KEY_POOL: dict[tuple[int, int], Any] = {}


@pytest.fixture(autouse=True)
def _session_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from pakta.signing import pki

    made = (
        pki.generate_key.__wrapped__
        if hasattr(pki.generate_key, "__wrapped__")
        else pki.generate_key
    )
    counter: dict[int, int] = {}

    def pooled(key_size: int) -> Any:
        index = counter.get(key_size, 0)
        counter[key_size] = index + 1
        if (key_size, index) not in _KEY_POOL:
            _KEY_POOL[(key_size, index)] = made(key_size)
        return _KEY_POOL[(key_size, index)]

    pooled.__wrapped__ = made  # type: ignore[attr-defined]
    monkeypatch.setattr(pki, "generate_key", pooled)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Rows that migrations seed (SPI thresholds, rules, provisions) are gone after a
    transactional test flushed the database: put them back for every test that uses it."""
    names = set(request.fixturenames)
    if not names & {
        "db",
        "transactional_db",
        "live_server",
    } and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db" if "live_server" in names else "db")
    from pakta.ops.reference_data import reference_data_ensure

    reference_data_ensure()


@pytest.fixture(autouse=True)
def _audit_witness_dir(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's checkpoints go to a witness file of its own, never into var/."""
    settings.PAKTA_AUDIT_WITNESS_DIR = tmp_path_factory.mktemp("witness")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: a kept "Tugas saya" or page of an earlier test's
    user (whose primary key a later test reuses) is not read back. The same for the zones each
    process keeps for a minute (core.zone): whether a test's first page reads its Pemda's zone
    no longer depends on how long ago an earlier test visited a Pemda of the same slug. And the
    HTML fragments each process keeps (core.kept: the menu, the empty officials filter)."""
    from django.core.cache import cache

    from pakta.core.kept import forget_kept_html
    from pakta.core.zone import forget_zones

    cache.clear()
    forget_zones()
    forget_kept_html()


@pytest.fixture
def superadmin(db: Any) -> User:
    return user_create(username="root", password=PASSWORD, acting_user=None, is_superuser=True)


@pytest.fixture
def pemda_a(superadmin: User) -> Pemda:
    return org.pemda_create(
        acting_user=superadmin,
        name="Kabupaten Alfa",
        slug="alfa",
        kind="kabupaten",
        kemendagri_code="98.01",
        seat="Alfa Kota",
    )


@pytest.fixture
def pemda_b(superadmin: User) -> Pemda:
    return org.pemda_create(
        acting_user=superadmin, name="Kota Beta", slug="beta", kind="kota", kemendagri_code="98.71"
    )


@pytest.fixture
def unit_a(pemda_a: Pemda, superadmin: User) -> Unit:
    return org.unit_create(pemda=pemda_a, name="Dinas Kesehatan", acting_user=superadmin)


@pytest.fixture
def position_a(pemda_a: Pemda, unit_a: Unit, superadmin: User) -> Position:
    return org.position_create(
        pemda=pemda_a,
        unit=unit_a,
        title="Kepala Dinas Kesehatan",
        level="jpt_pratama",
        acting_user=superadmin,
        is_unit_head=True,
    )


@pytest.fixture
def official_a(pemda_a: Pemda, position_a: Position, superadmin: User) -> Official:
    import datetime as dt

    official = org.official_create(
        pemda=pemda_a,
        nip="197001012000031001",
        name="Hadi Santoso",
        acting_user=superadmin,
        back_title="S.E.",
    )
    org.assignment_start(
        official=official,
        position=position_a,
        start_date=dt.date(2023, 1, 2),
        acting_user=superadmin,
    )
    return official


def make_user(
    username: str,
    pemda: Pemda,
    role: Role,
    *,
    unit: Unit | None = None,
    granter: User | None = None,
) -> User:
    user = user_create(username=username, password=PASSWORD, acting_user=granter)
    membership_grant(user=user, pemda=pemda, role=role, unit=unit, acting_user=granter)
    return user


@pytest.fixture
def role_users(pemda_a: Pemda, unit_a: Unit, superadmin: User) -> dict[str, User]:
    """One user per role in Pemda A."""
    users = {}
    for role in Role:
        users[role.value] = make_user(
            f"{role.value}-a",
            pemda_a,
            role,
            unit=unit_a if role == Role.KEPALA_OPD else None,
            granter=superadmin,
        )
    return users


@pytest.fixture
def other_pemda_admin(pemda_b: Pemda, superadmin: User) -> User:
    return make_user("admin-b", pemda_b, Role.ADMIN, granter=superadmin)


def client_for(user: User) -> Client:
    """A client logged in as ``user`` with two-factor verification passed."""
    client = Client()
    client.force_login(user)
    if user.needs_two_factor:
        from django_otp.plugins.otp_static.models import StaticDevice

        device, _ = StaticDevice.objects.get_or_create(user=user, name="test")
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def admin_client_a(role_users: dict[str, User]) -> Client:
    return client_for(role_users["admin"])
