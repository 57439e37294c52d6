"""The SQLite test database made once per set of migrations, then copied.

Making the test database runs every migration (about 75, with their seeds): 14.5 s of CPU, and
minutes of wall time on a busy machine, in every local run, even of a single test. The first
run on SQLite migrates as before and keeps a copy of the result in the var dir, named by a hash
of every installed app's migration files and the Django version; a later run whose migrations
hash the same copies that file and lets Django's ``migrate`` confirm there is nothing to apply
(it still runs, with its ``post_migrate`` signals). A changed, added or removed migration
changes the name, so the database is made from scratch again.

Not used in CI (``CI=true``), where every run migrates from nothing, nor on PostgreSQL, nor with
``PAKTA_TEST_DB_TEMPLATE=0``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest


def _migrations_hash() -> str:
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for app_config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(app_config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{app_config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _template_path() -> Path | None:
    """Where the migrated copy is kept, or None when no copy is to be used."""
    from django.conf import settings

    from tests.conftest import IN_CI

    database = settings.DATABASES["default"]
    if IN_CI or os.environ.get("PAKTA_TEST_DB_TEMPLATE", "1") == "0":
        return None
    if database["ENGINE"] != "django.db.backends.sqlite3" or len(settings.DATABASES) != 1:
        return None
    return Path(settings.VAR_DIR) / f"test-template-{_migrations_hash()}.sqlite3"


def _remove(name: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(name + suffix).unlink(missing_ok=True)


def _copy(source: str, target: str) -> None:
    """A consistent copy through SQLite's backup API (the source may have a WAL)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Generator[None]:
    """pytest-django's ``django_db_setup``, starting from the kept copy when there is one."""
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    template = _template_path() if django_db_use_migrations else None
    keepdb = django_db_keepdb and not django_db_createdb
    test_name = str(settings.DATABASES["default"]["TEST"]["NAME"])
    from_template = False
    if template is not None and template.exists() and not keepdb:
        _remove(test_name)
        _copy(str(template), test_name)
        from_template = True

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb or from_template,
        )
        if template is not None and not from_template:
            from django.db import connection

            connection.close()
            partial = template.with_suffix(f".{os.getpid()}.partial")
            _copy(test_name, str(partial))
            partial.replace(template)
            for older in template.parent.glob("test-template-*.sqlite3"):
                if older != template:  # made from migrations that are no longer these
                    older.unlink(missing_ok=True)

    yield

    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=request.config.option.verbose)
            except Exception as exc:
                request.node.warn(
                    pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
                )
