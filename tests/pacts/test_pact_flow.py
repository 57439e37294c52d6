"""A ceremony from invitation to countersignature, and the compliance figures it keeps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.core.documents import document_read
from pakta.core.errors import DomainError
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import services as pacts
from pakta.pacts.models import ComplianceCount, Pact
from pakta.signing.models import SignedDocument
from tests.conftest import PASSWORD
from tests.kit import make_leader
from tests.signing.conftest import pdfsig, user_for


@pytest.fixture
def bupati(pemda_a: Pemda, superadmin: User) -> Official:
    return make_leader(
        pemda_a, superadmin, nip="196601011990031001", name="Bambang Wijaya", title="Bupati Alfa"
    )


def counts(pemda: Pemda, year: int) -> tuple[int, int, int]:
    rows = ComplianceCount.objects.filter(pemda=pemda, year=year)
    return (sum(r.signed for r in rows), sum(r.pending for r in rows), sum(r.excused for r in rows))


def test_event_pact_signed_and_witnessed(
    pemda_a: Pemda, official_a: Official, bupati: Official, superadmin: User, tmp_path: Path
) -> None:
    template = pacts.template_current(pemda_a, superadmin)
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Penandatanganan Pakta Integritas 2026",
        date=dt.date(2026, 3, 26),
        place="Aula Krakatau",
        template=template,
        leader=bupati,
        leader_title="Bupati Alfa",
    )
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )
    assert pact.witness == bupati  # a head of OPD is witnessed by the leader
    assert counts(pemda_a, 2026) == (0, 1, 0)
    with pytest.raises(DomainError):
        pacts.pact_sign(
            pact=pact, acting_user=user_for(official_a), credential=PASSWORD
        )  # event not open yet
    pacts.event_open(event=event, acting_user=superadmin)
    pacts.pact_sign(pact=pact, acting_user=user_for(official_a), credential=PASSWORD)
    pact.refresh_from_db()
    assert pact.status == Pact.Status.SIGNED
    assert counts(pemda_a, 2026) == (1, 0, 0)
    pacts.pact_witness_sign(pact=pact, acting_user=user_for(bupati), credential=PASSWORD)
    pact.document.refresh_from_db()
    assert pact.document.status == SignedDocument.Status.COMPLETED
    output = pdfsig(document_read(pact.document.pdf), tmp_path)
    assert output.count("Signature is Valid.") == 2, output
    text = (
        __import__("subprocess")
        .run(
            ["pdftotext", "-", "-"],
            input=document_read(pact.document.pdf),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
    )
    assert "Saya yang bertanda tangan di bawah ini" in text
    assert (
        "26 Maret 2026" in text
        and "Menyaksikan/Mengetahui" in text
        and "NIP 197001012000031001" in text
    )
    assert AuditEvent.objects.filter(action="pacts.pact.signed").count() == 1


def test_excused_official_is_not_counted_as_unsigned(
    pemda_a: Pemda, official_a: Official, superadmin: User
) -> None:
    template = pacts.template_current(pemda_a, superadmin)
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="PI 2026",
        date=dt.date(2026, 1, 8),
        place="Aula",
        template=template,
    )
    (pact,) = pacts.event_add_participants(
        event=event, officials=[official_a], acting_user=superadmin
    )
    with pytest.raises(DomainError):
        pacts.pact_excuse(pact=pact, reason="  ", acting_user=superadmin)
    pacts.pact_excuse(pact=pact, reason="Cuti melahirkan", acting_user=superadmin)
    assert counts(pemda_a, 2026) == (0, 0, 1)


def test_new_assignment_creates_a_pact_due_later(
    pemda_a: Pemda, official_a: Official, unit_a: Unit, superadmin: User
) -> None:
    position = org.position_create(
        pemda=pemda_a,
        unit=unit_a,
        title="Sekretaris Dinas Kesehatan",
        level="administrator",
        acting_user=superadmin,
    )
    assignment = org.assignment_start(
        official=official_a,
        position=position,
        start_date=dt.date(2026, 6, 1),
        acting_user=superadmin,
    )
    pact = Pact.objects.get(assignment=assignment)
    assert pact.origin == Pact.Origin.ASSIGNMENT and pact.due_date == dt.date(2026, 7, 1)


def test_published_template_is_immutable_and_versions_do_not_touch_old_pacts(
    pemda_a: Pemda, superadmin: User
) -> None:
    first = pacts.template_current(pemda_a, superadmin)
    with pytest.raises(DomainError):
        pacts.template_update(template=first, acting_user=superadmin, clauses=["lain"])
    second = pacts.template_new_version(template=first, acting_user=superadmin)
    pacts.template_update(
        template=second,
        acting_user=superadmin,
        clauses=[*first.clauses, "bertempat tinggal di wilayah kabupaten;"],
    )
    first.refresh_from_db()
    assert (
        len(first.clauses) == 7 and len(second.clauses) == 8 and second.version == first.version + 1
    )
