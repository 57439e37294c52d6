"""The API as a machine client sees it: a token, Pemda-scoped endpoints, the schema and its docs.

Also the pages around it: ``/healthz`` and the Content-Security-Policy that every HTML page
carries (the API docs page included).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import translation
from rest_framework.authtoken.models import Token

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.org import services as org
from pakta.org.models import Official, Pemda
from pakta.org.nip import parse_nip
from tests.conftest import client_for

OFFICIALS = "/api/v1/p/{slug}/officials/"


def token_for(user: User) -> str:
    """Create a token the way a user does: on the API token page, after logging in."""
    response = client_for(user).post("/accounts/api-token/")
    assert response.status_code == 200
    key = Token.objects.get(user=user).key
    assert key in response.content.decode()  # shown once, to copy
    return key


def api(key: str | None) -> Client:
    """A machine client: no session, only the token header."""
    return Client(HTTP_AUTHORIZATION=f"Token {key}") if key else Client()


@pytest.fixture
def official_b(pemda_b: Pemda, superadmin: User) -> Official:
    return org.official_create(
        pemda=pemda_b, nip="198001012005012001", name="Rina Beta", acting_user=superadmin
    )


def test_creating_a_token_replaces_the_previous_one(role_users: dict[str, User]) -> None:
    first = token_for(role_users["admin"])
    second = token_for(role_users["admin"])
    assert first != second
    assert api(first).get(OFFICIALS.format(slug="alfa")).status_code == 401
    assert api(second).get(OFFICIALS.format(slug="alfa")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.token.created").count() == 2


def test_list_shows_only_the_pemda_s_officials_paginated_and_filtered(
    role_users: dict[str, User],
    official_a: Official,
    official_b: Official,
    pemda_a: Pemda,
    superadmin: User,
) -> None:
    for serial in range(2, 53):  # 52 officials in Pemda A: more than one page of 50
        org.official_create(
            pemda=pemda_a,
            nip=f"198502022010011{serial:03d}",
            name=f"Pegawai Nomor {serial}",
            acting_user=superadmin,
        )
    client = api(token_for(role_users["admin"]))  # the admin sees the NIPs (docs/permissions.md)

    page = client.get(OFFICIALS.format(slug="alfa")).json()
    assert page["count"] == 52
    assert len(page["results"]) == 50
    assert page["next"].endswith("?page=2")
    second = client.get(page["next"]).json()
    nips = {o["nip"] for o in page["results"]} | {o["nip"] for o in second["results"]}
    assert len(nips) == 52
    assert official_b.nip not in nips
    assert official_a.nip in nips

    by_name = client.get(OFFICIALS.format(slug="alfa"), {"name": "santoso"}).json()
    assert [o["nip"] for o in by_name["results"]] == [official_a.nip]
    by_nip = client.get(OFFICIALS.format(slug="alfa"), {"nip": "19850202"}).json()
    assert by_nip["count"] == 51
    # Pemda B's official is not found by its exact NIP through Pemda A.
    assert client.get(OFFICIALS.format(slug="alfa"), {"nip": official_b.nip}).json()["count"] == 0


def test_detail(role_users: dict[str, User], official_a: Official, official_b: Official) -> None:
    client = api(token_for(role_users["admin"]))
    response = client.get(f"{OFFICIALS.format(slug='alfa')}{official_a.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["nip"] == official_a.nip
    assert data["full_name"] == "Hadi Santoso, S.E."
    assert data["birth_date"] == "1970-01-01"
    # Another Pemda's official through this Pemda's address does not exist.
    assert client.get(f"{OFFICIALS.format(slug='alfa')}{official_b.pk}/").status_code == 404


def test_admin_creates_and_updates(role_users: dict[str, User], pemda_a: Pemda) -> None:
    client = api(token_for(role_users["admin"]))
    url = OFFICIALS.format(slug="alfa")
    response = client.post(
        url,
        {"nip": "199003152015032002", "name": "Sari Dewi", "golongan": "III/c"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = Official.objects.get(nip="199003152015032002")
    assert created.pemda == pemda_a
    assert created.sex == "P"  # read from the NIP
    assert AuditEvent.objects.filter(
        action="org.official.created", object_id=str(created.pk), actor=role_users["admin"]
    ).exists()

    response = client.patch(
        f"{url}{created.pk}/", {"golongan": "III/d"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["golongan"] == "III/d"
    created.refresh_from_db()
    assert created.golongan == "III/d"
    assert AuditEvent.objects.filter(
        action="org.official.updated", object_id=str(created.pk)
    ).exists()


def test_invalid_nip_is_refused_with_the_reason(role_users: dict[str, User]) -> None:
    client = api(token_for(role_users["admin"]))
    bad = "199013152015032002"  # month 13
    response = client.post(
        OFFICIALS.format(slug="alfa"), {"nip": bad, "name": "X"}, content_type="application/json"
    )
    assert response.status_code == 400
    with translation.override(response["Content-Language"]), pytest.raises(ValidationError) as e:
        parse_nip(bad)  # the sentence the validator gives, in the response's language
    sentence = e.value.messages[0]
    assert sentence.endswith(".")
    assert sentence in json.dumps(response.json(), ensure_ascii=False)
    assert not Official.objects.filter(nip=bad).exists()


def test_pegawai_cannot_write(role_users: dict[str, User], official_a: Official) -> None:
    client = api(token_for(role_users["pegawai"]))
    url = OFFICIALS.format(slug="alfa")
    response = client.post(
        url, {"nip": "199003152015032002", "name": "Sari"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.patch(
        f"{url}{official_a.pk}/", {"name": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 403
    official_a.refresh_from_db()
    assert official_a.name == "Hadi Santoso"
    assert not Official.objects.filter(nip="199003152015032002").exists()


def test_another_pemda_s_token_gets_404(other_pemda_admin: User, official_a: Official) -> None:
    client = api(token_for(other_pemda_admin))
    assert client.get(OFFICIALS.format(slug="alfa")).status_code == 404
    assert client.get(f"{OFFICIALS.format(slug='alfa')}{official_a.pk}/").status_code == 404
    assert client.get(OFFICIALS.format(slug="beta")).status_code == 200


def test_no_token_or_a_wrong_one_gets_401(official_a: Official) -> None:
    assert api(None).get(OFFICIALS.format(slug="alfa")).status_code == 401
    response = api("0" * 40).get(OFFICIALS.format(slug="alfa"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_password_only_session_cannot_use_the_api(role_users: dict[str, User]) -> None:
    """The API's session login asks for the second factor as the pages do."""
    client = Client()
    client.force_login(role_users["admin"])  # password passed, TOTP not
    with override_settings(DEMO_MODE=False):
        assert client.get(OFFICIALS.format(slug="alfa")).status_code in (401, 403)
    assert client_for(role_users["admin"]).get(OFFICIALS.format(slug="alfa")).status_code == 200


# --- Schema, docs, health ----------------------------------------------------------------------


def test_openapi_schema(client: Client, db: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for kind in ("units", "positions", "officials"):
        assert f"/api/v1/p/{{pemda}}/{kind}/" in schema["paths"]
        assert f"/api/v1/p/{{pemda}}/{kind}/{{id}}/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_api_docs_page_uses_only_local_assets(client: Client, db: Any) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        source = re.search(r'src="([^"]*)"', attributes)
        assert source, f"inline script without a source: {body[:80]!r}"
        assert source.group(1).startswith("/"), source.group(1)  # same origin, no CDN
    assert "swagger-ui-bundle.js" in html
    assert "https://" not in html and "http://" not in html.replace("http://testserver", "")
    stylesheets = re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert all(href.startswith("/") for href in stylesheets), stylesheets
    assert "<style" not in html  # an inline style would be blocked by the policy

    # The script that starts Swagger UI is served from our own address, as JavaScript.
    (init,) = [m for m in re.findall(r'src="([^"]+)"', html) if m.startswith("/api/docs/")]
    script = client.get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/openapi.json" in script.content.decode()


def test_swagger_assets_are_among_the_static_files(client: Client, db: Any) -> None:
    html = client.get("/api/docs/").content.decode()
    paths = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert len(paths) >= 3  # the CSS, the bundle, the preset
    for path in paths:
        assert finders.find(path.removeprefix("/static/")), f"{path} is not a static file"


def test_healthz(client: Client, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


# --- Content-Security-Policy --------------------------------------------------------------------


def _csp(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {parts[0]: parts[1:] for parts in (d.split() for d in header.split(";") if d.strip())}


@pytest.mark.parametrize("url", ["/accounts/login/", "/p/alfa/", "/api/docs/"])
def test_html_pages_carry_a_strict_policy(url: str, admin_client_a: Client) -> None:
    client = admin_client_a if url.startswith("/p/") else Client()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = _csp(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    nonces = [n.strip("'").removeprefix("nonce-") for n in policy["script-src"] if "nonce-" in n]
    for attributes, _body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
        if "src=" not in attributes:
            nonce = re.search(r'nonce="([^"]+)"', attributes)
            assert nonce and nonce.group(1) in nonces, f"{url}: inline script without a nonce"
