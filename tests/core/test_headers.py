"""Nothing a logged-in user sees is kept in a browser or proxy cache; browser features Pakta
never uses are switched off by a Permissions-Policy."""

from __future__ import annotations

from django.test import Client

from pakta.accounts.models import User
from pakta.org.models import Official
from tests.conftest import client_for
from tests.core.test_api import api, token_for


def no_store(response: object) -> bool:
    return "no-store" in response["Cache-Control"]  # type: ignore[index]


def test_staff_pages_exports_and_account_secrets_are_not_stored(
    role_users: dict[str, User], official_a: Official
) -> None:
    admin = client_for(role_users["admin"])
    for path in (
        "/p/alfa/",
        "/p/alfa/officials/",
        f"/p/alfa/officials/{official_a.pk}/",
        "/p/alfa/officials/export.csv",
        "/p/alfa/users/",
        "/accounts/api-token/",
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path
    # The API token, shown once after it is created.
    created = admin.post("/accounts/api-token/")
    assert no_store(created)


def test_the_authenticator_secret_is_not_stored(role_users: dict[str, User]) -> None:
    client = Client()
    client.force_login(role_users["upg"])  # must enrol: the page shows the TOTP secret
    response = client.get("/accounts/2fa/setup/")
    assert response.status_code == 200
    assert "secret" in response.context
    assert no_store(response)


def test_api_answers_are_not_stored(role_users: dict[str, User], official_a: Official) -> None:
    client = api(token_for(role_users["admin"]))
    for path in ("/api/v1/p/alfa/officials/", f"/api/v1/p/alfa/officials/{official_a.pk}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert no_store(response), path
    assert no_store(api(None).get("/api/v1/p/alfa/officials/"))  # even the 401


def test_a_response_marked_public_keeps_its_caching(role_users: dict[str, User]) -> None:
    response = client_for(role_users["admin"]).get("/signing/crl.der")
    assert response["Cache-Control"] == "public, max-age=300"


def test_every_page_switches_off_unused_browser_features(role_users: dict[str, User]) -> None:
    for response in (Client().get("/accounts/login/"), client_for(role_users["pegawai"]).get("/")):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy
        assert "geolocation=()" in policy
        assert "microphone=()" in policy
