"""`python -m pakta <command>`: the management commands, e.g. `python -m pakta audit_verify`;
`python -m pakta audit witness <url>` runs the log witness without Django."""

import os
import sys


def main() -> None:
    if sys.argv[1:3] == ["audit", "witness"]:
        # An outside auditor's machine: no settings, no database.
        from pakta.audit.witness import main as witness

        sys.exit(witness(sys.argv[3:]))
    if sys.argv[1:3] == ["procurement", "indicators"]:
        # Cardinal's indicators command: a file in, JSON out, no settings or database.
        from pakta.procurement.cardinal.cli import main as indicators

        sys.exit(indicators(sys.argv[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakta.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reads the settings: a bad environment stops here)
    except ImproperlyConfigured as error:
        # One line that says what to set, not a traceback (docs/operations.md).
        sys.exit(f"Pakta: {error}")

    argv = sys.argv[:]
    # `python -m pakta audit verify` reads as the command `audit_verify`.
    if len(argv) >= 3 and argv[1] == "audit" and argv[2] == "verify":
        argv = [argv[0], "audit_verify", *argv[3:]]
    # `python -m pakta procurement import …` reads as `procurement_import`.
    if len(argv) >= 3 and argv[1] == "procurement" and argv[2] == "import":
        argv = [argv[0], "procurement_import", *argv[3:]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
