"""Load the demo: two fictional Pemda with about 40 OPD and 2,000 officials each, one user per
role, and for Kabupaten Tanjung Sari content in every area (``pakta.ops.demo_content``)."""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from pakta.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from pakta.accounts.models import User
from pakta.accounts.services import membership_grant, user_create
from pakta.core.exports import rows_to_csv
from pakta.core.roles import Role
from pakta.ops.demo_content import populate, regional_head_create
from pakta.ops.demo_secrets import refuse_in_production, write_secrets
from pakta.ops.reference_data import reference_data_ensure
from pakta.org.imports import import_file
from pakta.org.models import Official, Pemda, Unit
from pakta.org.services import pemda_create, unit_update
from pakta.org.synthetic import OPD, hr_rows

PEMDA = [
    {
        "name": "Provinsi Nusa Harapan",
        "slug": "nusaharapan",
        "kind": "provinsi",
        "kemendagri_code": "99",
        "seat": "Kota Harapan",
        "address": "Jl. Merdeka No. 1, Kota Harapan",
        "timezone": "Asia/Makassar",
    },
    {
        "name": "Kabupaten Tanjung Sari",
        "slug": "tanjungsari",
        "kind": "kabupaten",
        "kemendagri_code": "99.01",
        "seat": "Sari Jaya",
        "address": "Jl. Pemuda No. 10, Sari Jaya",
        "timezone": "Asia/Makassar",
    },
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent: does nothing when the demo Pemda exist)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--officials", type=int, default=2000, help="officials per Pemda")

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production("load_demo")
        if Pemda.objects.filter(slug="tanjungsari").exists():
            self.stdout.write("demo data already loaded")
            return
        rng = random.Random(2024)
        # One transaction: a load that fails half-way leaves nothing, and the next run retries.
        with transaction.atomic():
            for seeded in reference_data_ensure():
                self.stdout.write(f"reference data restored: {seeded}")
            superadmin = user_create(
                username="superadmin",
                password=DEMO_PASSWORD,
                acting_user=None,
                is_superuser=True,
                validate=False,
            )
            province = pemda_create(acting_user=superadmin, **PEMDA[0])
            kabupaten = pemda_create(acting_user=superadmin, parent=province, **PEMDA[1])
            seen: set[str] = set()
            for pemda in (province, kabupaten):
                rows = hr_rows(rng, options["officials"], seen=seen)
                job = import_file(
                    pemda=pemda,
                    file_name=f"demo-{pemda.slug}.csv",
                    content=rows_to_csv(rows[0], rows[1:]),
                    acting_user=superadmin,
                )
                self.stdout.write(f"{pemda.name}: import {job.status}, {job.summary}")
                _set_unit_kinds(pemda, superadmin)
            bupati = regional_head_create(pemda=kabupaten, acting_user=superadmin)
            self._users(superadmin, province, kabupaten, {"bupati.tanjungsari": bupati})
            secrets: list[str] = []
            populate(
                pemda=kabupaten,
                superadmin=superadmin,
                log=self.stdout.write,
                secret=secrets.append,
            )
        path = write_secrets(secrets)
        self.stdout.write(
            self.style.SUCCESS(
                "demo data loaded; the demo accounts and their password are listed on the login "
                f"page, the recovery key and receipt codes are in {path} (readable by you only)"
            )
        )

    def _users(
        self,
        superadmin: User,
        province: Pemda,
        kabupaten: Pemda,
        officials: dict[str, Official],
    ) -> None:
        # Staff accounts belong to officials of the unit whose work they do (Inspektorat for the
        # report handler and the UPG, the HR agency for the admin): the app relies on it.
        for username, staff_unit in (
            ("inspektorat.tanjungsari", "Inspektorat"),
            ("upg.tanjungsari", "Inspektorat"),
            ("admin.tanjungsari", "Badan Kepegawaian dan Pengembangan SDM"),
        ):
            officials[username] = _staff_official(kabupaten, staff_unit, taken=officials)
        roles: dict[str, tuple[Pemda, Role, str | None]] = {
            "admin.tanjungsari": (kabupaten, Role.ADMIN, None),
            "inspektorat.tanjungsari": (kabupaten, Role.INSPEKTORAT, None),
            "upg.tanjungsari": (kabupaten, Role.UPG, None),
            "bupati.tanjungsari": (kabupaten, Role.PIMPINAN, None),
            "kadis.tanjungsari": (kabupaten, Role.KEPALA_OPD, "Dinas Kesehatan"),
            "pegawai.tanjungsari": (kabupaten, Role.PEGAWAI, None),
            "admin.nusaharapan": (province, Role.ADMIN, None),
        }
        for username, _label in DEMO_ACCOUNTS:
            if username not in roles:
                continue
            pemda, role, unit_name = roles[username]
            unit = Unit.objects.get(pemda=pemda, name=unit_name, parent=None) if unit_name else None
            official = officials.get(username)
            if unit is not None and official is None:
                official = Official.objects.filter(
                    assignments__position__unit=unit,
                    assignments__position__title__startswith="Kepala",
                    assignments__end_date__isnull=True,
                ).first()
            elif role == Role.PEGAWAI:
                official = (
                    Official.objects.filter(pemda=pemda, user__isnull=True)
                    .exclude(pk__in=[o.pk for o in officials.values()])
                    .order_by("-pk")
                    .first()
                )
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                acting_user=superadmin,
                official=official,
                email=f"{username}@demo.pakta.test",
                validate=False,
            )
            membership_grant(user=user, pemda=pemda, role=role, unit=unit, acting_user=superadmin)


def _set_unit_kinds(pemda: Pemda, acting_user: User) -> None:
    """HR exports carry no unit kind: give the demo OPD theirs (the Inspektorat above all)."""
    kinds = dict(OPD)
    for unit in Unit.objects.filter(pemda=pemda, parent=None, name__in=kinds):
        if unit.kind != kinds[unit.name]:
            unit_update(
                unit=unit,
                acting_user=acting_user,
                name=unit.name,
                kind=kinds[unit.name],
                code=unit.code,
                parent=None,
                is_active=unit.is_active,
            )


def _staff_official(pemda: Pemda, unit_name: str, *, taken: dict[str, Official]) -> Official:
    """A non-head official of ``unit_name`` (or its sub-units) without an account yet; in a
    small demo (``--officials 60``) the unit may have nobody but its head: then anyone."""
    unit = Unit.objects.get(pemda=pemda, name=unit_name, parent=None)
    candidates = (
        Official.objects.filter(
            pemda=pemda,
            user__isnull=True,
            assignments__end_date__isnull=True,
            assignments__position__is_unit_head=False,
        )
        .exclude(pk__in=[o.pk for o in taken.values()])
        .order_by("pk")
    )
    official = (
        candidates.filter(assignments__position__unit__path__startswith=unit.path).first()
        or candidates.first()
    )
    if official is None:
        raise LookupError(f"No official left in {unit_name} for a demo account.")
    return official
