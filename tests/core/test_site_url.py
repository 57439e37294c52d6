"""The public address in signed documents follows the port `make run` serves on."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

PROGRAM = """
import os, sys
sys.path.insert(0, "src")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakta.settings")
import django
django.setup()
from django.conf import settings
from pakta.pacts.rendering import verification_url
from pakta.signing.pki import crl_url
print(settings.SITE_URL, verification_url("abc"), crl_url())
"""


def site(**env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("PORT", "PAKTA_SITE_URL")}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=settings.PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_the_links_follow_the_port_unless_an_address_is_set() -> None:
    assert site(PORT="8100") == [
        "http://127.0.0.1:8100",
        "http://127.0.0.1:8100/v/abc",
        "http://127.0.0.1:8100/signing/crl.der",
    ]
    assert site()[0] == "http://127.0.0.1:8000"
    assert site(PORT="8100", PAKTA_SITE_URL="https://pakta.example.go.id")[1] == (
        "https://pakta.example.go.id/v/abc"
    )
