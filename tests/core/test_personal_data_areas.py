"""Need-to-know in the newer areas (gratification, conflicts, procurement, discipline), probed as
each role: every page, export and API read of the four apps is requested with a world of
objects about officials of Pemda A (a gratification report, a declaration of interests with a
relative, a decision with a screening finding, a discipline case, procurement packages), and
the answer is searched for those officials' NIP, birth date and e-mail and for the content of
the declaration, the report and the case. What each role may find is the table in
docs/permissions.md ("The newer areas"); everything else must not appear anywhere.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client

from pakta.accounts.models import User
from pakta.conflicts import services as conflicts
from pakta.conflicts.models import Decision, Finding, StandingDeclaration
from pakta.discipline.models import DisciplineCase
from pakta.gratification.models import CustodyItem, GiverEntry, GratificationReport
from pakta.org.models import Official, Pemda
from pakta.procurement.models import Package
from tests.conftest import client_for
from tests.core.test_permission_matrix import ENDPOINTS, World, _url

AREAS = ("gratification", "conflicts", "procurement", "discipline")

# What may be found, by role (the superadmin sees everything and is not probed).
#   nip       the NIP, birth date or e-mail of another official
#   gift      the content of a gratification report (its giver)
#   interests the content of a declaration of interests (a relative)
#   case      the content of a discipline case (its summary)
ALLOWED: dict[str, set[str]] = {
    "pegawai": set(),
    "pimpinan": set(),
    "kepala_opd": {"nip"},  # the officials of their unit (docs/permissions.md, officials' table)
    "upg": {"nip", "gift"},  # processes gratification reports: the recipient's NIP
    "admin": {"nip", "case"},  # every official's NIP; the HR role of discipline cases
    "inspektorat": {"nip", "gift", "interests", "case"},
}
NIP_PREFIX = "19700101200003"  # the officials the matrix's world makes in Pemda A
RELATIVE = "Sutarmi Wirokusumo"
SUMMARY = "Pungutan di luar ketentuan"


def _text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if content_type.startswith(("application/pdf", "application/zip")):
        return ""  # documents are served to those who sign or keep them (see the table)
    return body.decode("utf-8", "replace")


def _found(text: str, giver: str) -> set[str]:
    found = set()
    if re.search(NIP_PREFIX + r"\d{4}", text) or "1 Januari 1970" in text or "1970-01-01" in text:
        found.add("nip")
    if "@pegawai.test" in text:
        found.add("nip")
    if giver in text:
        found.add("gift")
    if RELATIVE in text:
        found.add("interests")
    if SUMMARY in text:
        found.add("case")
    return found


@pytest.fixture
def world(superadmin: User, pemda_a: Pemda, pemda_b: Pemda, official_a: Official) -> World:
    return World(superadmin, pemda_a, pemda_b, official_a)


def test_each_role_finds_only_what_its_duty_needs(
    world: World, role_users: dict[str, User], pemda_a: Pemda
) -> None:
    # The objects, about officials of Pemda A named on no role user's account.
    for model in (
        GratificationReport,
        CustodyItem,
        GiverEntry,
        StandingDeclaration,
        Decision,
        Finding,
        DisciplineCase,
        Package,
    ):
        world.pk(model, "a")
    declaration = StandingDeclaration.objects.get(pk=world.pk(StandingDeclaration, "a"))
    conflicts.declaration_relative_add(
        declaration=declaration,
        acting_user=declaration.official.user,
        relation="spouse",
        name=RELATIVE,
    )
    giver = GratificationReport.objects.get(pk=world.pk(GratificationReport, "a")).giver_name
    for official in Official.objects.filter(pemda=pemda_a):
        official.email = f"{official.nip}@pegawai.test"
        official.save(update_fields=["email"])

    endpoints = [
        e
        for e in ENDPOINTS
        if e.kind == "tenant"
        and "get" in e.methods
        and any(f"{area}" in e.name for area in AREAS)
        and "public" not in e.name
    ]
    assert len(endpoints) > 30
    leaks = []
    seen: dict[str, set[str]] = {role: set() for role in role_users}
    for role, user in role_users.items():
        client: Client = client_for(user)
        client.cookies["django_language"] = "id"
        for endpoint in endpoints:
            url = _url(endpoint, world)
            response = client.get(url)
            if response.status_code != 200:
                continue
            found = _found(_text(response), giver)
            seen[role] |= found
            found -= ALLOWED[role]
            if found:
                leaks.append(f"{role} {url}: {sorted(found)}")
    assert not leaks, "\n".join(leaks)
    # The probe sees what it looks for: those whose duty needs it find every kind.
    assert seen["inspektorat"] == ALLOWED["inspektorat"], seen
    assert seen["upg"] == ALLOWED["upg"], seen
    assert seen["admin"] == ALLOWED["admin"], seen
