"""The API: cases opened and summoned through it, refusals answered 400 with the sentence and
nothing written, and each list limited to what the caller may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pakta.audit.models import AuditEvent
from pakta.discipline.models import CaseStep, DisciplineCase
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/p/alfa/discipline"


def test_cases_and_steps_through_the_api(world, role_users) -> None:
    client = client_for(world.users["auditor"])
    body = {
        "official": world.staff.pk,
        "incident_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "level": "ringan",
        "provisions": ["5g"],
        "pact_clause": 2,
        "origin": "manual",
        "summary": "Pungutan kepada penyedia.",
    }
    response = client.post(f"{BASE}/cases/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    case = DisciplineCase.objects.get()
    assert response.json()["number"] == case.number and case.origin == "manual"
    before = AuditEvent.objects.count()
    again = client.post(f"{BASE}/cases/", body, content_type="application/json")
    assert again.status_code == 400 and case.number in again.json()["detail"]
    early = client.post(
        f"{BASE}/cases/{case.pk}/summons/",
        {
            "letter_date": (case.opened_on - dt.timedelta(days=1)).isoformat(),
            "hearing_date": case.opened_on.isoformat(),
        },
        content_type="application/json",
    )
    assert early.status_code == 400 and "sebelum perkara dibuka" in early.json()["detail"]
    assert AuditEvent.objects.count() == before and CaseStep.objects.count() == 1
    ok = client.post(
        f"{BASE}/cases/{case.pk}/summons/",
        {"letter_date": case.opened_on.isoformat(), "hearing_date": case.opened_on.isoformat()},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["kind"] == "summons_1"
    steps = client.get(f"{BASE}/steps/").json()
    assert [s["kind"] for s in steps["results"]] == ["opened", "summons_1"]
    # An unrelated employee lists nothing and cannot open a case; the superior sees theirs.
    pegawai = client_for(role_users["pegawai"])
    assert pegawai.get(f"{BASE}/cases/").json()["results"] == []
    assert pegawai.get(f"{BASE}/cases/{case.pk}/").status_code == 404
    assert pegawai.post(f"{BASE}/cases/", body, content_type="application/json").status_code == 403
    mine = client_for(world.users["head"]).get(f"{BASE}/cases/").json()["results"]
    assert [c["number"] for c in mine] == [case.number]
    assert client_for(world.users["head"]).get(f"{BASE}/sanctions/").status_code == 403
