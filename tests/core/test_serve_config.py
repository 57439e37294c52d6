"""A bad configuration stops `make run` (``scripts/serve.sh``) with one clear line.

Each case starts the real start-up script in a fresh process with the environment an operator
might get wrong: a database or Redis that does not answer, production without a secret key,
production with a loopback site address. Start-up stops before the server starts, with exactly
one line that names the variable to set, and no traceback.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
from pathlib import Path

import pytest

from tests.core.test_deploy import REPO, clean_env


def _closed_port() -> int:
    """A loopback port that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env["PORT"] = str(_closed_port())
    return subprocess.run(
        ["bash", "scripts/serve.sh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "PAKTA_ENV": "production",
    "PAKTA_SECRET_KEY": secrets.token_urlsafe(45),
    "PAKTA_ALLOWED_HOSTS": "pakta.example.go.id",
    "PAKTA_SITE_URL": "https://pakta.example.go.id",
}


@pytest.mark.parametrize(
    ("variables", "names"),
    [
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:{port}/pakta"}, "DATABASE_URL"),
        ({"REDIS_URL": "redis://127.0.0.1:{port}/0"}, "REDIS_URL"),
        ({**PRODUCTION, "PAKTA_SECRET_KEY": ""}, "PAKTA_SECRET_KEY"),
        ({**PRODUCTION, "PAKTA_SITE_URL": "http://localhost:8000"}, "PAKTA_SITE_URL"),
        ({**PRODUCTION, "PAKTA_SITE_URL": "http://127.0.1.1"}, "PAKTA_SITE_URL"),
    ],
    ids=["database-down", "redis-down", "no-secret", "site-localhost", "site-127"],
)
def test_bad_configuration_stops_start_up_with_one_line(
    tmp_path: Path, variables: dict[str, str], names: str
) -> None:
    port = str(_closed_port())
    extra = {key: value.replace("{port}", port) for key, value in variables.items() if value}
    env = clean_env(tmp_path, **extra)

    result = serve(env)

    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, output
    assert len(output.splitlines()) == 1, output
    assert names in output
    assert "Traceback" not in output
    assert "gunicorn" not in output  # the server never started
    assert not (tmp_path / "static").exists() or not any((tmp_path / "static").iterdir())


def test_production_with_a_public_site_address_passes_the_preflight(tmp_path: Path) -> None:
    env = clean_env(tmp_path, **PRODUCTION)
    result = subprocess.run(
        [str(REPO / ".venv" / "bin" / "python"), "manage.py", "preflight", "-v2"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "the database and Redis answer" in result.stdout
