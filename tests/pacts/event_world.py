"""A signing event after the ceremony: two pacts signed, one excused, two not signed.

Built through the services, as the app builds it. Shared by the booklet, compliance and
reminder tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact, SigningEvent
from tests.conftest import PASSWORD
from tests.signing.conftest import user_for

EVENT_DATE = dt.date(2026, 3, 26)


@dataclass
class EventWorld:
    event: SigningEvent
    bupati: Official
    signed: list[Pact]
    excused: Pact
    pending: list[Pact]  # [with an account and e-mail, without an account]
    other_unit: Unit


def _official(
    pemda: Pemda, unit: Unit, nip: str, name: str, title: str, by: User, **kw
) -> Official:
    position = org.position_create(
        pemda=pemda,
        unit=unit,
        title=title,
        level=kw.pop("level", "administrator"),
        acting_user=by,
        is_unit_head=kw.pop("head", False),
    )
    official = org.official_create(pemda=pemda, nip=nip, name=name, acting_user=by, **kw)
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=by
    )
    return official


def build_event_world(pemda: Pemda, official_a: Official, unit_a: Unit, by: User) -> EventWorld:
    setda = org.unit_create(
        pemda=pemda, name="Sekretariat Daerah", acting_user=by, kind="sekretariat"
    )
    bupati = _official(
        pemda, setda, "196601011990031001", "Bambang Wijaya", "Bupati Alfa", by, level="jpt_utama"
    )
    other = org.unit_create(pemda=pemda, name="Badan Keuangan Daerah", acting_user=by)
    sekretaris = _official(
        pemda, unit_a, "197502022000031002", "Agus Prasetyo", "Sekretaris Dinas Kesehatan", by
    )
    kabid = _official(
        pemda,
        unit_a,
        "198003032005012003",
        "Dewi Lestari",
        "Kepala Bidang P2P",
        by,
        email="dewi@example.test",
    )
    cuti = _official(
        pemda, other, "197804042003122004", "Rina Marlina", "Kepala Bidang Anggaran", by
    )
    tanpa_akun = _official(
        pemda, other, "198105052006041005", "Joko Susilo", "Kepala Bidang Aset", by
    )
    template = pacts.template_current(pemda, by)
    event = pacts.event_create(
        pemda=pemda,
        acting_user=by,
        title="Penandatanganan Pakta Integritas 2026",
        occasion="Apel pagi",
        date=EVENT_DATE,
        place="Aula Krakatau",
        template=template,
        leader=bupati,
        leader_title="Bupati Alfa",
    )
    created = pacts.event_add_participants(
        event=event, officials=[official_a, sekretaris, kabid, cuti, tanpa_akun], acting_user=by
    )
    by_official = {p.official_id: p for p in created}
    pacts.event_open(event=event, acting_user=by)
    signed = []
    for official in (official_a, sekretaris):
        pact = by_official[official.pk]
        pacts.pact_sign(pact=pact, acting_user=user_for(official), credential=PASSWORD)
        pact.refresh_from_db()
        signed.append(pact)
    excused = pacts.pact_excuse(pact=by_official[cuti.pk], reason="Cuti besar", acting_user=by)
    # An account (whose e-mail is the official's) holding the pegawai role, as staff accounts do.
    membership_grant(user=user_for(kabid), pemda=pemda, role=Role.PEGAWAI, acting_user=by)
    return EventWorld(
        event=event,
        bupati=bupati,
        signed=signed,
        excused=excused,
        pending=[by_official[kabid.pk], by_official[tanpa_akun.pk]],
        other_unit=other,
    )
