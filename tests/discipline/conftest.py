"""A Pemda with a Dinas (headed by official_a), a staff member who signed this year's pact, the
Bupati (regional head, PPK), an Inspektorat auditor and an HR officer, each with an account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone, translation

from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.discipline import services
from pakta.discipline.models import DisciplineCase, Provision
from pakta.org import services as org
from pakta.org.models import Position
from tests.portal.conftest import make_leader, sign_pact
from tests.signing.conftest import user_for


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


def _official(pemda, unit, superadmin, *, nip, name, title, level="pelaksana"):
    position = org.position_create(
        pemda=pemda, unit=unit, title=title, level=level, acting_user=superadmin
    )
    official = org.official_create(pemda=pemda, nip=nip, name=name, acting_user=superadmin)
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2022, 1, 3), acting_user=superadmin
    )
    return official


@pytest.fixture
def world(pemda_a, unit_a, official_a, superadmin) -> SimpleNamespace:
    return make_world(pemda_a, unit_a, official_a, superadmin)


def in_thread(func: Any, *args: Any) -> Any:
    """Run ``func`` in another thread: signing (pyHanko runs its own event loop) cannot run in a
    Playwright test's thread, whose loop is already running."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def call() -> Any:
        try:
            return func(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def ensure_provisions() -> None:
    """The seeded provisions (a transactional test's flush removes data-migration rows)."""
    import importlib

    from django.apps import apps

    if not Provision.objects.exists():
        importlib.import_module("pakta.discipline.migrations.0002_seed_provisions").seed(apps, None)


def make_world(pemda_a, unit_a, official_a, superadmin) -> SimpleNamespace:
    ensure_provisions()
    bupati = make_leader(
        pemda_a, superadmin, nip="196601011990031001", name="Bambang Wijaya", title="Bupati Alfa"
    )
    staff = _official(
        pemda_a,
        unit_a,
        superadmin,
        nip="199001012015031002",
        name="Rudi Hartono",
        title="Pengelola Pengadaan",
        level=Position.Level.FUNGSIONAL,
    )
    insp_unit = org.unit_create(
        pemda=pemda_a, name="Inspektorat", acting_user=superadmin, kind="inspektorat"
    )
    auditor = _official(
        pemda_a,
        insp_unit,
        superadmin,
        nip="198202022008012003",
        name="Sri Auditor",
        title="Auditor Ahli Muda",
        level=Position.Level.FUNGSIONAL,
    )
    hr_unit = org.unit_create(pemda=pemda_a, name="BKPSDM", acting_user=superadmin)
    hr = _official(
        pemda_a,
        hr_unit,
        superadmin,
        nip="198503032010011004",
        name="Dewi Kepegawaian",
        title="Analis SDM Aparatur",
    )
    pact = sign_pact(pemda_a, staff, bupati, superadmin, witness=False)
    users = {}
    for key, official, role in (
        ("head", official_a, Role.PEGAWAI),
        ("staff", staff, Role.PEGAWAI),
        ("bupati", bupati, Role.PIMPINAN),
        ("auditor", auditor, Role.INSPEKTORAT),
        ("hr", hr, Role.ADMIN),
    ):
        user = user_for(official)
        membership_grant(user=user, pemda=pemda_a, role=role, acting_user=superadmin)
        users[key] = user
    return SimpleNamespace(
        pemda=pemda_a,
        unit=unit_a,
        head=official_a,
        staff=staff,
        bupati=bupati,
        auditor=auditor,
        hr=hr,
        pact=pact,
        users=users,
        superadmin=superadmin,
    )


def provisions(*codes: str) -> list[Provision]:
    return list(Provision.objects.filter(code__in=codes))


def open_case(world: SimpleNamespace, **overrides: Any) -> DisciplineCase:
    fields: dict[str, Any] = {
        "pemda": world.pemda,
        "acting_user": world.users["auditor"],
        "official": world.staff,
        "incident_date": timezone.localdate() - dt.timedelta(days=3),
        "summary": "Meminta uang pelicin kepada penyedia.",
        "provisions": provisions("5l", "5k"),
        "level": "ringan",
        "pact_clause": 2,
    }
    fields.update(overrides)
    return services.case_open(**fields)
