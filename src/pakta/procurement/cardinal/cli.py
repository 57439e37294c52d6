"""``python -m pakta procurement indicators [--settings FILE.ini] [--no-meta] [--map] FILE``:
Cardinal's ``indicators`` command (same arguments, same JSON on standard output, invalid lines
skipped with a warning on standard error). Runs without Django or a database."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from pakta.procurement.cardinal.engine import Engine, dumps
from pakta.procurement.cardinal.settings import Settings, SettingsError, parse_settings


def _lines(stream: TextIO, warn: TextIO) -> Iterator[object]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except ValueError as error:
            print(f"Line {number} is invalid JSON, skipping. [{error}]", file=warn)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pakta procurement indicators",
        description=(
            "Calculate procurement indicators from OCDS compiled releases in a line-delimited "
            "JSON file (Cardinal's indicators command)."
        ),
    )
    parser.add_argument("file", help='the file (or "-" for standard input), one release a line')
    parser.add_argument("-s", "--settings", type=Path, help="the path to the settings file")
    parser.add_argument("-c", "--count", action="store_true", help="print counts to stderr")
    parser.add_argument("--no-meta", action="store_true", help='exclude the "Meta" key')
    parser.add_argument("--map", action="store_true", help='include the "Maps" key')
    args = parser.parse_args(argv)
    settings = Settings()
    if args.settings is not None:
        try:
            settings = parse_settings(args.settings.read_text(encoding="utf-8"))
        except OSError as error:
            print(f"error: {args.settings}: {error.strerror}", file=sys.stderr)
            return 2
        except SettingsError as error:
            print(f"error: {args.settings}: {error}", file=sys.stderr)
            return 2
    engine = Engine(settings, map=args.map)
    try:
        stream = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        print(f"error: {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    with stream:
        for release in _lines(stream, sys.stderr):
            engine.fold(release)
    document = engine.finalize(meta=not args.no_meta)
    sys.stdout.write(dumps(document) + "\n")
    if args.count:
        for group in ("OCID", "Buyer", "ProcuringEntity", "Tenderer"):
            if group in document:
                print(f"{group}: {len(document[group])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
