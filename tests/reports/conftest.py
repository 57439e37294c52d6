"""The reporting channel's world: Pemda A's Inspektorat with its head and handlers who
enrolled report keys, set up through the services as people would."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant, user_create
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position, Unit
from pakta.reports import keys
from pakta.reports.attachments import Upload
from pakta.reports.models import Report
from pakta.reports.services import Submission, report_submit
from tests.conftest import PASSWORD, client_for
from tests.signing.test_timestamp import tsa, tsa_settings  # noqa: F401 (a real local TSA)

_serial = itertools.count(11)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """Assertions read the English messages; the site itself defaults to Indonesian."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # The receipt rate-limit counters live in the cache; each test starts without failures.
    cache.clear()


@pytest.fixture
def inspektorat_unit(pemda_a: Pemda, superadmin: User) -> Unit:
    return org.unit_create(
        pemda=pemda_a, name="Inspektorat", kind=Unit.Kind.INSPEKTORAT, acting_user=superadmin
    )


@pytest.fixture
def auditor_position(pemda_a: Pemda, inspektorat_unit: Unit, superadmin: User) -> Position:
    return org.position_create(
        pemda=pemda_a,
        unit=inspektorat_unit,
        title="Auditor",
        level=Position.Level.FUNGSIONAL,
        acting_user=superadmin,
    )


def make_official(
    pemda: Pemda, position: Position, name: str, superadmin: User, *, sex: str = "1"
) -> Official:
    official = org.official_create(
        pemda=pemda,
        nip=f"19750305200003{sex}{next(_serial):03d}",
        name=name,
        acting_user=superadmin,
    )
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    return official


@pytest.fixture
def inspektorat_head(pemda_a: Pemda, inspektorat_unit: Unit, superadmin: User) -> Official:
    """The head of the Inspektorat (acknowledgements are sealed by the organisation, not them)."""
    position = org.position_create(
        pemda=pemda_a,
        unit=inspektorat_unit,
        title="Inspektur Daerah",
        level=Position.Level.JPT_PRATAMA,
        is_unit_head=True,
        acting_user=superadmin,
    )
    return make_official(pemda_a, position, "Rudi Hartono", superadmin)


def make_handler(
    username: str,
    pemda: Pemda,
    superadmin: User,
    *,
    official: Official | None = None,
    enrol: bool = True,
) -> User:
    """An Inspektorat user of ``pemda``; with ``enrol`` they create their report key."""
    user = user_create(
        username=username, password=PASSWORD, acting_user=superadmin, official=official
    )
    membership_grant(user=user, pemda=pemda, role=Role.INSPEKTORAT, acting_user=superadmin)
    if enrol:
        keys.handler_key_enrol(user=user, password=PASSWORD)
    return user


@pytest.fixture
def handler_a(pemda_a: Pemda, auditor_position: Position, superadmin: User) -> User:
    official = make_official(pemda_a, auditor_position, "Dewi Lestari", superadmin, sex="2")
    return make_handler("dewi", pemda_a, superadmin, official=official)


@pytest.fixture
def handler_b(pemda_a: Pemda, auditor_position: Position, superadmin: User) -> User:
    official = make_official(pemda_a, auditor_position, "Bambang Wijaya", superadmin)
    return make_handler("bambang", pemda_a, superadmin, official=official)


def handler_client(user: User) -> Client:
    """A logged-in handler whose report key is unlocked for the session (with the password)."""
    client = client_for(user)
    response = client.post(
        reverse("reports:key", kwargs={"pemda": user.memberships.first().pemda.slug}),
        {"password": PASSWORD},
    )
    assert response.status_code in (200, 302), response.status_code
    assert keys.COOKIE_NAME in client.cookies
    return client


def submit(pemda: Pemda, **overrides: Any) -> Submission:
    data: dict[str, Any] = {
        "pemda": pemda,
        "category": Report.Category.BRIBERY,
        "what": "Pungutan liar pada layanan perizinan.",
        "who": "",
    }
    data.update(overrides)
    return report_submit(**data)


def jpeg_with_exif(marker: str = "CanonEOS") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (8, 8), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = marker  # Make
    exif[0x013B] = "Penulis Rahasia"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def pdf_with_author(author: str, text: str = "Bukti") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_upload(name: str, text: str) -> Upload:
    return Upload(name=name, data=text.encode())
