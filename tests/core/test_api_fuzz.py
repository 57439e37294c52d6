"""schemathesis over ``/api/openapi.json``: no input gives a 5xx, every answer matches the schema.

Every operation of the published schema is called with generated valid and invalid requests, each
sent in turn as a user of every role of Pemda A, an administrator of Pemda B, the superadmin and
an official with a pact to sign. The Pemda in the path is Pemda A (a random slug is only a 404),
and the world holds a few objects of each kind so that generated small ids hit real rows as well
as missing and foreign ones.

The number of examples is bounded (``FUZZ_EXAMPLES``, default 24 per operation, spread over the
callers in turn) so the run takes a few minutes; raise it locally for a longer hunt.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from pakta.accounts.models import User
from pakta.accounts.services import membership_grant
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Unit
from pakta.pacts import services as pacts
from pakta.performance import services as performance
from tests.signing.conftest import user_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "24"))
ROTATION = itertools.count()


@pytest.fixture
def fuzz_tokens(
    role_users: dict[str, User],
    other_pemda_admin: User,
    superadmin: User,
    pemda_a: Pemda,
    pemda_b: Pemda,
    unit_a: Unit,
    official_a: Official,
) -> list[str]:
    """Tokens of every role of Pemda A, an admin of Pemda B and the superadmin, and some rows."""
    org.unit_create(pemda=pemda_b, name="Dinas Beta", acting_user=superadmin)
    signer = user_for(official_a)
    membership_grant(user=signer, pemda=pemda_a, role=Role.PEGAWAI, acting_user=superadmin)
    event = pacts.event_create(
        pemda=pemda_a,
        acting_user=superadmin,
        title="Penandatanganan Pakta Integritas 2026",
        date=dt.date(2026, 3, 26),
        place="Aula",
        template=pacts.template_current(pemda_a, superadmin),
    )
    pacts.event_add_participants(event=event, officials=[official_a], acting_user=superadmin)
    setda = org.unit_create(
        pemda=pemda_a, name="Sekretariat Daerah", kind="sekretariat", acting_user=superadmin
    )
    head = org.position_create(
        pemda=pemda_a, unit=setda, title="Bupati Alfa", level="jpt_utama", acting_user=superadmin
    )
    bupati = org.official_create(
        pemda=pemda_a, nip="196601011990031001", name="Bambang Wijaya", acting_user=superadmin
    )
    org.assignment_start(
        official=bupati, position=head, start_date=dt.date(2021, 2, 26), acting_user=superadmin
    )
    performance.agreement_create(
        pemda=pemda_a, official=official_a, year=2026, acting_user=superadmin
    )
    users = [*role_users.values(), other_pemda_admin, superadmin, signer]
    return [Token.objects.get_or_create(user=user)[0].key for user in users]


@pytest.fixture
def keep_connection() -> Any:
    """As Django's test client does: the request signals must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def load_schema() -> Any:
    """The published schema, read through the WSGI application (no database is needed)."""
    from pakta.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,
    )
    only = os.environ.get("FUZZ_PATHS")  # e.g. FUZZ_PATHS=agreements to try one part of the API
    return loaded.include(path_regex=only) if only else loaded


schema = load_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_server_error_and_answers_match_the_schema(
    case: Any, fuzz_tokens: list[str], keep_connection: None
) -> None:
    """Each generated request goes to the next caller in turn, so every role meets every
    operation while the run stays within a few minutes."""
    if "pemda" in (case.path_parameters or {}):
        case.path_parameters["pemda"] = "alfa"
    token = fuzz_tokens[next(ROTATION) % len(fuzz_tokens)]
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
