"""The demo's domain content: what a new user of Kabupaten Tanjung Sari finds on every page.

``load_demo`` creates the Pemda, their officials and one account per role; ``populate`` then
adds, for the kabupaten, a signing event with signed pacts, performance agreements with
verified realizations, SPI results with an action plan, and whistleblowing reports. The
content of each area is in that app's ``demo.py``. Everything goes through the services, as
people would do it in the app, so the audit events, compliance counters and achievement
roll-ups are the real ones. Names, numbers and stories are fictional.

A PDF render, a PAdES signature and an argon2 password check each take a fraction of a second,
so the demo signs a handful of documents only (about twenty signatures in all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.html import escape

from pakta.accounts.demo import DEMO_PASSWORD
from pakta.accounts.models import User
from pakta.accounts.services import membership_grant, user_create
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position, Unit

Log = Callable[[str], None]

# The regional head of the demo kabupaten. Not a civil servant, but the app identifies every
# official by a NIP: this one is well formed and born before any generated official.
REGIONAL_HEAD = {
    "nip": "196304121990031001",
    "name": "Sutrisno Wibowo",
    "front_title": "Drs.",
    "back_title": "M.Si.",
}
# Sworn in with the other regional heads elected in the 2024 Pilkada.
REGIONAL_HEAD_SINCE = dt.date(2025, 2, 20)

# Accounts of the heads of OPD who sign in the demo (password: the demo password).
HEAD_ACCOUNTS = {
    "Sekretariat Daerah": "sekda.tanjungsari",
    "Badan Perencanaan Pembangunan Daerah": "kabappeda.tanjungsari",
    "Badan Pengelolaan Keuangan dan Aset Daerah": "kabpkad.tanjungsari",
    "Badan Kepegawaian dan Pengembangan SDM": "kabkpsdm.tanjungsari",
    "Dinas Pendidikan dan Kebudayaan": "kadisdikbud.tanjungsari",
    "Dinas Pekerjaan Umum dan Penataan Ruang": "kadispupr.tanjungsari",
    "Dinas Kependudukan dan Pencatatan Sipil": "kadisdukcapil.tanjungsari",
}


def regional_title(pemda: Pemda) -> str:
    """``Bupati Tanjung Sari`` (or Wali Kota, Gubernur) from the Pemda's name."""
    for prefix, title in (("Kabupaten ", "Bupati"), ("Kota ", "Wali Kota"), ("Provinsi ", "")):
        if pemda.name.startswith(prefix):
            return f"{title or 'Gubernur'} {pemda.name.removeprefix(prefix)}"
    return f"Kepala Daerah {pemda.name}"


def regional_head_create(*, pemda: Pemda, acting_user: User) -> Official:
    """The Bupati: a JPT Utama post in the Sekretariat Daerah and its holder.

    The performance services take the holder of that post as the second party of every head of
    OPD, and the signing event as its leader. Starting the assignment publishes the standard
    pact template and gives the Bupati the pact of a new position.
    """
    setda = Unit.objects.get(pemda=pemda, name="Sekretariat Daerah", parent=None)
    position = org.position_create(
        pemda=pemda,
        unit=setda,
        title=regional_title(pemda),
        level=Position.Level.JPT_UTAMA,
        acting_user=acting_user,
    )
    official = org.official_create(
        pemda=pemda,
        acting_user=acting_user,
        email=f"bupati@{pemda.slug}.demo.pakta.test",
        **REGIONAL_HEAD,
    )
    org.assignment_start(
        official=official,
        position=position,
        start_date=min(REGIONAL_HEAD_SINCE, timezone.localdate()),
        acting_user=acting_user,
    )
    return official


@dataclass
class DemoCast:
    """Who does what in the demo content of one Pemda, and the date it is loaded on."""

    pemda: Pemda
    superadmin: User
    admin: User
    inspektorat: User
    bupati_user: User
    kadis_user: User
    today: dt.date
    accounts: dict[int, User] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def bupati(self) -> Official:
        assert self.bupati_user.official is not None
        return self.bupati_user.official

    @property
    def kadis(self) -> Official:
        assert self.kadis_user.official is not None
        return self.kadis_user.official

    def opd(self, name: str) -> Unit:
        return Unit.objects.get(pemda=self.pemda, name=name, parent=None)

    def head_of(self, opd_name: str) -> Official:
        """The current holder of the head post of the OPD (a top-level unit) of that name."""
        official = (
            Official.objects.filter(
                pemda=self.pemda,
                assignments__end_date__isnull=True,
                assignments__position__is_unit_head=True,
                assignments__position__unit__parent__isnull=True,
                assignments__position__unit__name=opd_name,
            )
            .order_by("pk")
            .first()
        )
        if official is None:
            raise LookupError(f"No head of {opd_name} in {self.pemda.slug}.")
        return official

    def account_of(self, opd_name: str) -> User:
        """The head of the OPD's account (created on first use: Kepala OPD of that unit)."""
        official = self.head_of(opd_name)
        if official.pk in self.accounts:
            return self.accounts[official.pk]
        user = User.objects.filter(official=official).first()
        if user is None:
            user = user_create(
                username=HEAD_ACCOUNTS[opd_name],
                password=DEMO_PASSWORD,
                acting_user=self.superadmin,
                official=official,
                email=f"{HEAD_ACCOUNTS[opd_name]}@demo.pakta.test",
                validate=False,
            )
            membership_grant(
                user=user,
                pemda=self.pemda,
                role=Role.KEPALA_OPD,
                unit=self.opd(opd_name),
                acting_user=self.superadmin,
            )
        self.accounts[official.pk] = user
        return user


def evidence_pdf(title: str, lines: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> bytes:
    """A one-page PDF for evidence files: a title, a few paragraphs and an optional table."""
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    table = ""
    if rows:
        head, *body = rows
        table = (
            "<table><thead><tr>"
            + "".join(f"<th>{escape(cell)}</th>" for cell in head)
            + "</tr></thead><tbody>"
            + "".join(
                "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                for row in body
            )
            + "</tbody></table>"
        )
    html = (
        "<html><head><style>body{font-family:sans-serif;font-size:11pt}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:4px}"
        f"</style></head><body><h2>{escape(title)}</h2>{paragraphs}{table}</body></html>"
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def populate(*, pemda: Pemda, superadmin: User, log: Log, secret: Log) -> None:
    """Add the content of every area for ``pemda``, whose demo accounts exist.

    ``log`` receives progress lines (printed); ``secret`` the lines a tester needs that must
    never be printed (recovery key, receipt codes: ``pakta.ops.demo_secrets``).
    """
    from pakta.ops.demo.actionplans import demo_action_plan
    from pakta.ops.demo.conflicts import demo_conflicts
    from pakta.ops.demo.discipline import demo_discipline
    from pakta.ops.demo.gratification import demo_gratification
    from pakta.ops.demo.pacts import demo_pacts
    from pakta.ops.demo.performance import demo_agreements
    from pakta.ops.demo.procurement import demo_procurement
    from pakta.ops.demo.reports import demo_reports
    from pakta.ops.demo.surveys import demo_spi

    slug = pemda.slug
    cast = DemoCast(
        pemda=pemda,
        superadmin=superadmin,
        admin=User.objects.get(username=f"admin.{slug}"),
        inspektorat=User.objects.get(username=f"inspektorat.{slug}"),
        bupati_user=User.objects.get(username=f"bupati.{slug}"),
        kadis_user=User.objects.get(username=f"kadis.{slug}"),
        today=timezone.now().astimezone(ZoneInfo(pemda.timezone)).date(),
    )
    demo_pacts(cast, log)
    demo_agreements(cast, log)
    finding = demo_spi(cast, log)
    demo_action_plan(cast, finding, log)
    demo_conflicts(cast, log)
    demo_reports(cast, log, secret)
    demo_procurement(cast, log)
    demo_gratification(cast, log)
    demo_discipline(cast, log)
