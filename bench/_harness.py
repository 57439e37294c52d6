"""What every benchmark in bench/ shares (see README.md): one child process per database engine,
Django set up in a temporary var directory, a migrated template database with a fresh copy for
each phase, interleaved repeats with the best time counting, and the RESULT line.

A benchmark script:

    from _harness import Databases, add_engine_arguments, best_of, django_child, result, run_engines

    def main() -> int:
        parser = argparse.ArgumentParser(...)
        add_engine_arguments(parser)            # --repeat, --backend, --child
        args = parser.parse_args()
        if args.child:
            with django_child("survey"):        # env, sys.path, django.setup(), cleanup
                databases = Databases(args.child, "survey")
                ...
                databases.fresh("service"); ...
                result("survey_index", args.child, ratio=..., target=20, ok=...)
            return 0
        return run_engines(__file__, args.backend)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def add_engine_arguments(parser: argparse.ArgumentParser, *, repeat: int = 2) -> None:
    parser.add_argument(
        "--repeat", type=int, default=repeat, help="runs of each phase; best counts"
    )
    parser.add_argument(
        "--backend",
        choices=["auto", "sqlite", "postgres"],
        default="auto",
        help="auto: SQLite, and PostgreSQL too when DATABASE_URL is set",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)


def engines(choice: str) -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    if choice != "auto":
        if choice == "postgres" and not url.startswith("postgres"):
            raise SystemExit("--backend postgres needs DATABASE_URL=postgres://...")
        return [choice]
    return ["sqlite", "postgres"] if url.startswith("postgres") else ["sqlite"]


def run_engines(script: str, choice: str, argv: list[str] | None = None) -> int:
    """Run ``script`` again as a child per engine, with the same arguments plus ``--child``.
    Returns 1 if a child crashed (a missed target is reported in its RESULT line, not here)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--backend" in argv:
        at = argv.index("--backend")
        del argv[at : at + 2]
    argv = [a for a in argv if not a.startswith("--backend=")]
    failed = 0
    for engine in engines(choice):
        env = dict(os.environ)
        if engine == "sqlite":
            env.pop("DATABASE_URL", None)
        command = [sys.executable, script, *argv, "--child", engine]
        failed += subprocess.run(command, env=env, check=False).returncode != 0
    return 1 if failed else 0


@contextmanager
def django_child(prefix: str, *, immediate_tasks: bool = True) -> Iterator[Path]:
    """Set Django up as production runs it (debug off), in a var directory of its own."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"pakta-bench-{prefix}-"))
    os.environ["PAKTA_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pakta.settings"
    os.environ.setdefault("PAKTA_LOG_LEVEL", "WARNING")
    os.environ["PAKTA_DEBUG"] = "false"
    if immediate_tasks:
        os.environ["PAKTA_TASKS_IMMEDIATE"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    try:
        yield var_dir
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(var_dir, ignore_errors=True)


class Databases:
    """A migrated template database, and a fresh copy of it for each phase: a file copy on
    SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL. ``cleanup()`` drops them all."""

    def __init__(
        self, backend: str, prefix: str, *, setup: Callable[[], Any] | None = None
    ) -> None:
        from django.core.management import call_command
        from django.db import connection

        self.backend = backend
        self.prefix = prefix
        self.settings = connection.settings_dict
        self.copies: list[str] = []
        if backend == "postgres":
            self.template = f"pakta_bench_{prefix}_tpl_{os.getpid()}"
            self._admin(f'CREATE DATABASE "{self.template}"')
        else:
            self.template = str(Path(os.environ["PAKTA_VAR_DIR"]) / "template.sqlite3")
        self._use(self.template)
        call_command("migrate", verbosity=0)
        if setup is not None:
            setup()  # data every phase starts from, in the template
        self._use(None)

    def _admin(self, sql: str) -> None:
        import psycopg

        params = {
            "host": self.settings["HOST"] or None,
            "port": self.settings["PORT"] or None,
            "user": self.settings["USER"] or None,
            "password": self.settings["PASSWORD"] or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(sql)  # type: ignore[arg-type]

    def _use(self, name: str | None) -> None:
        from django.db import connection

        connection.close()
        if name is not None:
            self.settings["NAME"] = name

    def use_template(self) -> None:
        """Work in the template itself (data every phase starts from)."""
        self._use(self.template)

    def fresh(self, label: str) -> None:
        """Switch to a fresh copy of the template named ``label``."""
        self._use(None)
        if self.backend == "postgres":
            name = f"pakta_bench_{self.prefix}_{label}_{os.getpid()}"
            self._admin(f'DROP DATABASE IF EXISTS "{name}"')
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        else:
            name = str(Path(self.template).with_name(f"{label}.sqlite3"))
            Path(name).unlink(missing_ok=True)
            shutil.copyfile(self.template, name)
        if name not in self.copies:
            self.copies.append(name)
        self._use(name)

    def cleanup(self) -> None:
        self._use(None)
        if self.backend == "postgres":
            for name in [*self.copies, self.template]:
                self._admin(f'DROP DATABASE IF EXISTS "{name}"')


def timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def best_of(repeat: int, phases: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Run each phase ``repeat`` times, interleaved (a, b, a, b); the best time of each counts.
    Each phase returns the seconds it measured itself (so set-up can stay outside)."""
    best = dict.fromkeys(phases, float("inf"))
    for _ in range(max(1, repeat)):
        for name, phase in phases.items():
            best[name] = min(best[name], phase())
    return best


def result(
    name: str,
    backend: str,
    *,
    ratio: float,
    target: float | str,
    ok: bool,
    digits: int = 2,
) -> None:
    """The one line a benchmark ends each engine's run with (read by scripts/bench.sh)."""
    print(
        f"RESULT bench={name}_{backend} ratio={ratio:.{digits}f} target={target} "
        f"ok={str(ok).lower()}",
        flush=True,
    )
