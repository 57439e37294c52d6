"""Pakta installs on every Python from 3.11 to 3.13 (Django 5.2 and every dependency support them).

``requires-python`` admits them, the lock file is current and was resolved for them, and every
locked package with compiled code has a wheel for each of them on Linux x86_64 (or a pure-Python
or stable-ABI wheel), so `make run` on Debian 13's Python 3.13 needs no other interpreter and no
compiler. The suite itself runs on the machine's Python (``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import parse_wheel_filename

REPO = Path(__file__).resolve().parents[2]
SUPPORTED = ("3.11", "3.12", "3.13")


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def _lock() -> dict:
    return tomllib.loads((REPO / "uv.lock").read_text())


def test_requires_python_admits_3_11_to_3_13() -> None:
    spec = SpecifierSet(_pyproject()["project"]["requires-python"])
    for version in SUPPORTED:
        assert spec.contains(f"{version}.0") and spec.contains(f"{version}.9"), version
    assert not spec.contains("3.10.14")
    # The lock was resolved for the same range.
    assert SpecifierSet(_lock()["requires-python"]) == spec


def test_the_lock_file_is_current() -> None:
    uv = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    assert os.path.exists(uv), "uv is installed by `make install`"
    result = subprocess.run(
        [uv, "lock", "--check", "--offline"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _installable(tags: set[tuple[str, str, str]], version: str) -> bool:
    cp = "cp" + version.replace(".", "")
    for interpreter, abi, platform in tags:
        linux = platform == "any" or ("linux" in platform and "x86_64" in platform)
        if not linux:
            continue
        if interpreter in {"py3", "py2.py3"} and abi == "none":
            return True
        if interpreter == cp and abi in {cp, "none"}:
            return True
        if abi == "abi3" and interpreter.startswith("cp3") and int(interpreter[3:]) <= int(cp[3:]):
            return True
    return False


def test_every_locked_package_has_a_wheel_for_each_supported_python() -> None:
    missing = []
    for package in _lock()["package"]:
        wheels = package.get("wheels", [])
        if not wheels:
            continue  # the project itself, built from source by uv_build
        tags = set()
        for wheel in wheels:
            name = wheel["url"].rsplit("/", 1)[-1]
            for tag in parse_wheel_filename(name)[3]:
                tags.add((tag.interpreter, tag.abi, tag.platform))
        for version in SUPPORTED:
            if not _installable(tags, version):
                missing.append(f"{package['name']} {package['version']} on {version}")
    assert not missing, missing
