"""The API: a member declares for a decision; the Inspektorat reviews a finding; a pegawai may
not read the queue; a refusal answers 400 with its sentence and writes nothing."""

from __future__ import annotations

from pakta.audit.models import AuditEvent
from pakta.conflicts import services
from pakta.conflicts.models import DecisionDeclaration, Finding
from tests.conflicts.conftest import _package
from tests.conftest import client_for


def test_declare_and_review_through_the_api(people, pemda_a, unit_a) -> None:
    decision, _member, tenderer = _package(people, unit_a, pemda_a)
    base = f"/api/v1/p/{pemda_a.slug}/coi/"
    budi = client_for(people["budi_user"])
    answer = budi.post(
        base + "decision-declarations/",
        {"decision": decision.pk, "answers": [{"subject": tenderer.pk, "relationship": "none"}]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["has_conflict"] is False
    # Andi is not on the package: 400 with the sentence, nothing written.
    before = (AuditEvent.objects.count(), DecisionDeclaration.objects.count())
    refused = client_for(people["andi_user"]).post(
        base + "decision-declarations/",
        {"decision": decision.pk, "answers": [{"subject": tenderer.pk, "relationship": "none"}]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "Anda bukan anggota panitia keputusan ini, sehingga tidak dapat menyampaikan "
        "pernyataan untuknya."
    )
    assert (AuditEvent.objects.count(), DecisionDeclaration.objects.count()) == before
    assert budi.get(base + "findings/").status_code == 403

    services.screen_decision(decision=decision, acting_user=people["admin"])
    finding = Finding.objects.get(kind="missing_declaration", official=people["sari"])
    inspektorat = client_for(people["inspektorat"])
    queue = inspektorat.get(base + "findings/").json()
    rows = queue["results"] if isinstance(queue, dict) else queue
    assert finding.pk in [row["id"] for row in rows]
    done = inspektorat.post(
        base + f"findings/{finding.pk}/review/",
        {"action": "confirm", "reason": "Belum menyatakan sampai hari ini"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    again = inspektorat.post(
        base + f"findings/{finding.pk}/review/",
        {"action": "dismiss", "reason": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400
