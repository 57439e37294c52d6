"""Input that used to answer 500: ids that are not numbers, JSON nested 100,000 deep, JSON bodies
of many megabytes, a year that overflows the database. Each is now a clear 4xx and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pakta.accounts.models import User
from pakta.core import limits
from pakta.pacts.models import SigningEvent
from tests.core.test_api import api, token_for

BASE = "/api/v1/p/alfa/"


@pytest.fixture
def admin(role_users: dict[str, User]) -> Client:
    return api(token_for(role_users["admin"]))


def post_raw(client: Client, path: str, body: str) -> Any:
    return client.post(BASE + path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "pacts/abc/pdf/"),
        ("post", "pacts/abc/sign/"),
        ("post", "pacts/abc/witness-sign/"),
        ("get", "pacts/null,null/pdf/"),
        ("get", "units/1e3/"),
        ("get", "officials/99999999999999999999999/"),
    ],
)
def test_an_id_that_is_not_a_number_is_not_found(
    admin: Client, method: str, path: str, pemda_a: Any
) -> None:
    response = getattr(admin, method)(BASE + path)
    assert response.status_code == 404


def test_json_nested_too_deep_is_a_clear_400(admin: Client) -> None:
    depth = 100_000
    response = post_raw(admin, "units/", "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"JSON bersarang lebih dari {limits.JSON_MAX_DEPTH} tingkat."
    )
    # Nesting within the limit is parsed as usual (and refused for its content, not its shape).
    shallow = post_raw(admin, "units/", json.dumps({"name": "Dinas A", "parent": [[1]]}))
    assert shallow.status_code == 400
    assert "parent" in shallow.json()


def test_a_json_body_over_the_limit_is_413_before_it_is_parsed(admin: Client) -> None:
    body = json.dumps({"name": "x" * (limits.JSON_MAX_BYTES + 10)})
    response = post_raw(admin, "units/", body)
    assert response.status_code == 413
    assert response.json()["detail"] == "Isi permintaan lebih besar dari 1,0\xa0MB."


def test_malformed_json_is_a_400(admin: Client) -> None:
    for body in (b"{", b'{"name": NaN}', b'{"name": "\xff"}'):
        response = admin.post(BASE + "units/", body, content_type="application/json")
        assert response.status_code == 400, body


@pytest.mark.parametrize("year", [9223372036854775808, -1, 1999, 2101])
def test_a_signing_event_year_out_of_range_is_refused(
    admin: Client, year: int, superadmin: User, pemda_a: Any
) -> None:
    from pakta.pacts import services as pacts

    template = pacts.template_current(pemda_a, superadmin)
    response = admin.post(
        BASE + "signing-events/",
        json.dumps(
            {
                "title": "X",
                "date": "2026-03-26",
                "place": "Aula",
                "template": template.pk,
                "year": year,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "year" in response.json()
    assert not SigningEvent.objects.exists()


def test_the_schema_admits_the_blank_revision_trigger_of_a_first_version(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    field = schema["components"]["schemas"]["Agreement"]["properties"]["revision_trigger"]
    enums = [
        schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["enum"]
        for ref in field["oneOf"]
    ]
    assert [""] in enums
