"""Demo pacts (see ``pakta.ops.demo_content``): this year's signing ceremony of the heads of OPD.

The Bupati leads the event and witnesses the pacts of the heads of OPD; an Inspektur and two
external guests witness the event. A few heads have signed (some already countersigned by the
Bupati), one is excused, and the others, among them the demo Kepala Dinas Kesehatan, still have
their pact in their inbox.
"""

from __future__ import annotations

import datetime as dt

from pakta.accounts.demo import DEMO_PASSWORD
from pakta.ops.demo_content import DemoCast, Log, regional_title
from pakta.pacts import selectors
from pakta.pacts import services as pacts
from pakta.pacts.models import SigningEvent

EVENT_TITLE = "Penandatanganan Pakta Integritas dan Perjanjian Kinerja {year}"
# The heads of OPD who have signed, in the order they signed; the first ones were countersigned.
SIGNED = [
    "Sekretariat Daerah",
    "Badan Perencanaan Pembangunan Daerah",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Badan Kepegawaian dan Pengembangan SDM",
]
COUNTERSIGNED = 3
EXCUSED = ("Dinas Perikanan", "Cuti besar")
EXTERNAL_WITNESSES = [
    ("Dr. Andreas Siahaan, S.H., M.H.", "Kejaksaan Negeri Tanjung Sari"),
    ("Hj. Nurhayati Harahap, S.E.", "DPRD Kabupaten Tanjung Sari"),
]


def demo_pacts(cast: DemoCast, log: Log) -> SigningEvent:
    pemda, admin = cast.pemda, cast.admin
    template = pacts.template_current(pemda, admin)
    # The Bupati signed the pact of his new position soon after being sworn in.
    for own in selectors.pacts_to_sign_for(user=cast.bupati_user):
        pacts.pact_sign(
            pact=own, acting_user=cast.bupati_user, credential=DEMO_PASSWORD, at_once=True
        )
    event = pacts.event_create(
        pemda=pemda,
        acting_user=admin,
        title=EVENT_TITLE.format(year=cast.year),
        occasion=f"Rapat Koordinasi Awal Tahun Anggaran {cast.year}",
        date=min(cast.today, dt.date(cast.year, 1, 29)),
        place="Pendopo Agung Sari Jaya",
        template=template,
        year=cast.year,
        leader=cast.bupati,
        leader_title=regional_title(pemda),
    )
    heads, _missing = selectors.participants_by_filter(pemda=pemda, kind="kepala_opd")
    created = pacts.event_add_participants(event=event, officials=heads, acting_user=admin)
    pacts.event_add_witness(event=event, acting_user=admin, official=cast.head_of("Inspektorat"))
    for number, (name, organisation) in enumerate(EXTERNAL_WITNESSES, start=1):
        # An address for the one-time link to sign the ceremony record when the event closes.
        pacts.event_add_witness(
            event=event,
            acting_user=admin,
            name=name,
            organisation=organisation,
            email=f"saksi{number}.{pemda.slug}@example.test",
        )
    pacts.event_open(event=event, acting_user=admin)
    by_opd = {pact.unit.name: pact for pact in created if pact.unit is not None}
    for index, opd in enumerate(SIGNED):
        pact = by_opd[opd]
        pacts.pact_sign(
            pact=pact, acting_user=cast.account_of(opd), credential=DEMO_PASSWORD, at_once=True
        )
        if index < COUNTERSIGNED:
            pact.refresh_from_db()
            pacts.pact_witness_sign(
                pact=pact, acting_user=cast.bupati_user, credential=DEMO_PASSWORD, at_once=True
            )
    opd, reason = EXCUSED
    pacts.pact_excuse(pact=by_opd[opd], reason=reason, acting_user=admin)
    log(
        f"{pemda.name}: pact template v{template.version} published; “{event.title}”: "
        f"{len(created)} heads of OPD invited, {len(SIGNED)} signed ({COUNTERSIGNED} "
        f"countersigned by the Bupati), 1 excused"
    )
    return event
