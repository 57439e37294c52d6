"""Production settings: `check --deploy` is clean, the secret key is never in code, and the
responses of a production process carry the security headers and secure cookies.

Each test starts a fresh Python process with the environment an operator would set, because the
settings are read from the environment once, when the process starts.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "pakta.example.go.id"


def clean_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without any Pakta, database or test setting, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PAKTA_", "DJANGO_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "PYTEST_CURRENT_TEST", "PYTEST_VERSION"}
    }
    env["PAKTA_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def production_env(var_dir: Path) -> dict[str, str]:
    return clean_env(
        var_dir,
        PAKTA_ENV="production",
        PAKTA_SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        PAKTA_ALLOWED_HOSTS=HOST,
        PAKTA_SITE_URL=f"https://{HOST}",
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    assert len(env["PAKTA_SECRET_KEY"]) == 60

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS:" not in result.stdout + result.stderr
    assert "security.W" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["PAKTA_SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    # One line that says what to set, not a traceback (tests/core/test_serve_config.py).
    assert result.stderr.strip().startswith("Pakta: PAKTA_SECRET_KEY must be set")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_development_generates_a_secret_key_into_var_once(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    print_key = "from django.conf import settings; print(settings.SECRET_KEY)"

    first = manage("shell", "-c", print_key, env=env)
    second = manage("shell", "-c", print_key, env=env)

    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.stdout.strip().splitlines()[-1] == key
    assert second.stdout.strip().splitlines()[-1] == key
    assert sorted(p.name for p in tmp_path.iterdir() if "secret" in p.name) == ["secret_key"]


# Runs inside a production process. Static files are served from the app directories because the
# production storage needs `collectstatic` (minutes of compression); nothing else is overridden.
RESPONSE_PROBE = """
import json
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from pakta.accounts.services import user_create

call_command("migrate", verbosity=0)
user_create(username="probe", password="a long probe passphrase 42", acting_user=None)
plain = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES={**settings.STORAGES, **plain}):
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    over_http = client.get("/accounts/login/")
    page = client.get("/accounts/login/", secure=True)
    login = client.post(
        "/accounts/login/",
        {"username": "probe", "password": "a long probe passphrase 42"},
        secure=True,
    )
    missing = client.get("/no-such-page/", secure=True)

def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}

print(json.dumps({
    "debug": settings.DEBUG,
    "http_status": over_http.status_code,
    "http_location": over_http.get("Location", ""),
    "status": page.status_code,
    "headers": dict(page.headers),
    "csrf_cookie": cookie(page, settings.CSRF_COOKIE_NAME),
    "login_status": login.status_code,
    "session_cookie": cookie(login, settings.SESSION_COOKIE_NAME),
    "missing_status": missing.status_code,
    "missing_body": missing.content.decode(),
}))
"""


def test_production_responses_carry_security_headers_and_secure_cookies(tmp_path: Path) -> None:
    result = manage("shell", "-c", RESPONSE_PROBE, env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])

    assert probe["debug"] is False
    # Plain HTTP is redirected to HTTPS.
    assert probe["http_status"] == 301
    assert probe["http_location"].startswith(f"https://{HOST}/")

    assert probe["status"] == 200
    headers = {name.lower(): value for name, value in probe["headers"].items()}
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp

    assert probe["csrf_cookie"]["secure"] is True
    assert probe["login_status"] == 302
    assert probe["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}

    # No debug page: a missing URL gets the plain 404 page, not Django's URL listing.
    assert probe["missing_status"] == 404
    assert "URLconf" not in probe["missing_body"]
    assert "Traceback" not in probe["missing_body"]
