"""``python -m pakta audit witness <url>``: an outside witness of a Pakta transparency log.

Run by a Pemda, the Inspektorat, the KPK coordinator or any auditor on their own machine (no
database, no Django settings needed). Each run fetches the log's latest checkpoint, checks its
signature with the log key, and checks with a consistency proof that it extends the checkpoint
stored by the previous run; then stores it. Run it from cron: a log that was rewritten,
truncated or forked can no longer prove consistency with what the witness holds.

Files, in ``--store`` (default ``~/.pakta-witness/<host>``): ``key`` (the log's verifier key,
trusted on first use unless ``--key`` gives it) and ``checkpoints.jsonl`` (every checkpoint seen).
Exit code 0 when consistent, 1 with a sentence naming the problem otherwise.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from pakta.audit import merkle, note

Fetch = Callable[[str], bytes]
TIMEOUT = 30


class WitnessError(Exception):
    """Something the witness must report and stop on (exit code 1)."""


def http_fetch(url: str) -> bytes:
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise WitnessError(f"{url} is not an http(s) address.")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 - checked above
            return bytes(response.read(1024 * 1024))
    except urllib.error.HTTPError as error:
        body = error.read(2000).decode("utf-8", "replace").strip()
        raise WitnessError(f"{url} answered {error.code}: {body[:300]}") from None
    except (urllib.error.URLError, OSError) as error:
        raise WitnessError(f"{url} cannot be reached: {error}") from None


def _base(url: str) -> str:
    url = url.strip().rstrip("/")
    for suffix in ("/transparansi/checkpoint", "/transparansi"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url


def default_store(url: str) -> Path:
    host = urllib.parse.urlsplit(_base(url)).netloc or "log"
    return Path.home() / ".pakta-witness" / re.sub(r"[^A-Za-z0-9.-]", "_", host)


def _stored(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            int(record["size"])
            str(record["note"])
        except (ValueError, KeyError, TypeError):
            raise WitnessError(f"{path}, line {number}, is not a stored checkpoint.") from None
        records.append(record)
    return records


def witness(url: str, store: Path, key: str | None, fetch: Fetch = http_fetch) -> str:
    """One witnessing round; returns the sentence to print. Raises WitnessError."""
    base = _base(url)
    store.mkdir(parents=True, exist_ok=True)
    key_file, log_file = store / "key", store / "checkpoints.jsonl"
    messages = []
    try:
        if key:
            verifier = note.Verifier.parse(key)
            if key_file.exists() and note.Verifier.parse(key_file.read_text()) != verifier:
                raise WitnessError(
                    f"The key given differs from the key stored in {key_file} by earlier runs."
                )
        elif key_file.exists():
            verifier = note.Verifier.parse(key_file.read_text())
        else:
            verifier = note.Verifier.parse(fetch(f"{base}/transparansi/key").decode())
            messages.append(
                f"First run: trusting the log key {verifier} as served. Compare it with the key "
                "the Pemda publishes, or pass --key."
            )
        key_file.write_text(f"{verifier}\n")
    except note.NoteError as error:
        raise WitnessError(f"The log key is not valid: {error}") from None
    except UnicodeDecodeError:
        raise WitnessError("The log key is not text.") from None

    raw = fetch(f"{base}/transparansi/checkpoint")
    try:
        text = raw.decode("utf-8")
        checkpoint = note.verify_checkpoint(text, verifier)
    except UnicodeDecodeError:
        raise WitnessError("The checkpoint is not UTF-8 text.") from None
    except note.NoteError as error:
        raise WitnessError(f"The checkpoint was refused: {error}") from None
    if checkpoint.origin != verifier.name:
        raise WitnessError(f"The checkpoint is for {checkpoint.origin}, not {verifier.name}.")

    records = _stored(log_file)
    if records:
        previous_note = str(records[-1]["note"])
        try:
            previous = note.verify_checkpoint(previous_note, verifier)
        except note.NoteError as error:
            raise WitnessError(f"The stored checkpoint does not verify: {error}") from None
        if checkpoint.size < previous.size:
            raise WitnessError(
                f"The log now has {checkpoint.size} entries but it had {previous.size} when this "
                "witness last looked: entries were removed (truncation)."
            )
        if checkpoint.size == previous.size:
            if checkpoint.root != previous.root:
                raise WitnessError(
                    f"Two different trees of {checkpoint.size} entries were signed: the log "
                    "forked or was rewritten."
                )
            return "\n".join([*messages, f"No new entries: {checkpoint.size}, consistent."])
        proof_url = (
            f"{base}/transparansi/proof/consistency?from={previous.size}&to={checkpoint.size}"
        )
        try:
            answer = json.loads(fetch(proof_url))
            proof = [base64.b64decode(h, validate=True) for h in answer["proof"]]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise WitnessError("The log's consistency proof is malformed.") from None
        if not merkle.verify_consistency(
            previous.size, checkpoint.size, previous.root, checkpoint.root, proof
        ):
            raise WitnessError(
                f"The log of {checkpoint.size} entries does not extend the one of "
                f"{previous.size} entries this witness stored: its history was rewritten."
            )
        messages.append(
            f"Consistent: {previous.size} -> {checkpoint.size} entries, checkpoint stored."
        )
    else:
        messages.append(f"First checkpoint stored: {checkpoint.size} entries.")
    record = {"size": checkpoint.size, "root": checkpoint.root.hex(), "note": text}
    with log_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True) + "\n")
    return "\n".join(messages)


def main(argv: list[str], fetch: Fetch = http_fetch) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pakta audit witness",
        description="Fetch and store a Pakta log's checkpoints; check each extends the last.",
    )
    parser.add_argument("url", help="the site, e.g. https://pakta.example.go.id/")
    parser.add_argument("--store", type=Path, help="directory for the key and the checkpoints")
    parser.add_argument("--key", help="the log's verifier key (name+hash+key), as published")
    args = parser.parse_args(argv)
    try:
        print(witness(args.url, args.store or default_store(args.url), args.key, fetch))
    except WitnessError as error:
        print(f"witness FAILED: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"witness FAILED: {error}", file=sys.stderr)
        return 1
    return 0
