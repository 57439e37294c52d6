#!/usr/bin/env python
"""A foreign id and a missing id take the same time (issue 13, part 6).

    .venv/bin/python bench/id_timing.py [--samples 300] [--rows 200] [--repeat 2]

Two Pemda (A and B) with ``--rows`` officials each (a unit, a position); the administrator of A
asks, through the whole middleware stack (Django's test client, debug off), for each of these
inputs that take an id, alternately with an id of Pemda B's object (foreign) and with an id that
exists nowhere (missing):

- the official page and the unit page (``/p/<a>/officials/<id>/``, ``/p/<a>/units/<id>/``: 404);
- the official and the unit in the API (``/api/v1/p/<a>/officials/<id>/``, ``units/<id>/``: 404);
- a list filter (``/api/v1/p/<a>/positions/?unit=<id>``: 400);
- a related field of a write (``POST /api/v1/p/<a>/positions/`` with ``unit``: 400).

Each answer must have the same status and body for both ids (else the bench stops: that is an
existence oracle, not a timing question). The samples alternate foreign/missing, after a warm-up,
``--repeat`` rounds of ``--samples`` each; the ratio is median(foreign) / median(missing) per
input over all rounds. The RESULT line gives the ratio furthest from 1; the target is 1.0 ± 0.2.
Runs on SQLite, and on PostgreSQL too when DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from typing import Any

from _harness import Databases, add_engine_arguments, django_child, result, run_engines

TOLERANCE = 0.2


def populate(rows: int) -> None:
    """Two Pemda through the services (with their administrator); their ``rows`` officials each,
    and an assignment to the one position, written in bulk in one transaction (bench data: the
    lookups are timed, not the registration; 40,000 officials through ``official_create`` and
    ``assignment_start``, each its own transaction, took over an hour on SQLite)."""
    import datetime as dt

    from django.db import transaction

    from pakta.accounts.services import membership_grant, user_create
    from pakta.core.roles import Role
    from pakta.org import services as org
    from pakta.org.models import Assignment, Official, Position
    from pakta.org.nip import parse_nip
    from pakta.org.synthetic import nip_for_counter

    root = user_create(username="root", password=None, acting_user=None, is_superuser=True)
    for n, (slug, code) in enumerate((("alfa", "98.01"), ("beta", "98.71"))):
        pemda = org.pemda_create(
            acting_user=root,
            name=f"Kabupaten {slug}",
            slug=slug,
            kind="kabupaten",
            kemendagri_code=code,
        )
        unit = org.unit_create(pemda=pemda, name="Dinas Kesehatan", acting_user=root)
        position = org.position_create(
            pemda=pemda,
            unit=unit,
            title="Analis",
            level=Position.Level.FUNGSIONAL,
            acting_user=root,
        )
        officials = []
        for i in range(rows):
            # A valid NIP per official however many there are (birth date and serial from a
            # counter: the serial has three digits, so one birth date holds only 999).
            nip = nip_for_counter(n * rows + i, 25, 1, "1" if slug == "alfa" else "2")
            parts = parse_nip(nip)
            officials.append(
                Official(
                    pemda=pemda,
                    nip=nip,
                    name=f"Pegawai {slug} {i}",
                    birth_date=parts.birth_date,
                    sex=parts.sex,
                )
            )
        with transaction.atomic():
            Official.objects.bulk_create(officials, batch_size=2000)
            Assignment.objects.bulk_create(
                [
                    Assignment(
                        pemda=pemda,
                        official=official,
                        position=position,
                        start_date=dt.date(2024, 1, 2),
                    )
                    for official in officials
                ],
                batch_size=2000,
            )
        if slug == "alfa":
            admin = user_create(username="admin-a", password=None, acting_user=root)
            membership_grant(user=admin, pemda=pemda, role=Role.ADMIN, acting_user=root)


def logged_in_client() -> Any:
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    from pakta.accounts.models import User

    user = User.objects.get(username="admin-a")
    client = Client()
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def inputs() -> dict[str, tuple[Any, Any]]:
    """name -> (request(client, id) -> response, (foreign id, missing id))."""
    from pakta.org.models import Official, Unit

    foreign_official = Official.objects.filter(pemda__slug="beta").order_by("pk").last()
    foreign_unit = Unit.objects.filter(pemda__slug="beta").get()
    missing_official = Official.objects.order_by("pk").last().pk + 100_000  # type: ignore[union-attr]
    missing_unit = Unit.objects.order_by("pk").last().pk + 100_000  # type: ignore[union-attr]
    officials = (foreign_official.pk, missing_official)  # type: ignore[union-attr]
    units = (foreign_unit.pk, missing_unit)

    def post_position(client: Any, pk: int) -> Any:
        body = json.dumps({"unit": pk, "title": "Penata", "level": "fungsional"})
        return client.post(
            "/api/v1/p/alfa/positions/", body, content_type="application/json", secure=True
        )

    return {
        "official_page": (lambda c, pk: c.get(f"/p/alfa/officials/{pk}/", secure=True), officials),
        "unit_page": (lambda c, pk: c.get(f"/p/alfa/units/{pk}/", secure=True), units),
        "official_api": (
            lambda c, pk: c.get(f"/api/v1/p/alfa/officials/{pk}/", secure=True),
            officials,
        ),
        "unit_api": (lambda c, pk: c.get(f"/api/v1/p/alfa/units/{pk}/", secure=True), units),
        "unit_filter": (
            lambda c, pk: c.get(f"/api/v1/p/alfa/positions/?unit={pk}", secure=True),
            units,
        ),
        "unit_field": (post_position, units),
    }


def same_answer(name: str, foreign: Any, missing: Any, ids: tuple[int, int]) -> None:
    def body(response: Any, pk: int) -> bytes:
        # What changes on every page (the CSP nonce, the CSRF token), then the id itself.
        text = re.sub(
            rb'(nonce|value|content)="(?!/)[A-Za-z0-9+/=_-]{20,}"', b"<token>", response.content
        )
        return re.sub(rb"\b%d\b" % pk, b"<id>", text)

    if foreign.status_code != missing.status_code or body(foreign, ids[0]) != body(missing, ids[1]):
        import difflib

        diff = difflib.unified_diff(
            body(foreign, ids[0]).decode(errors="replace").splitlines(),
            body(missing, ids[1]).decode(errors="replace").splitlines(),
            lineterm="",
        )
        print("\n".join(list(diff)[:40]))
        raise SystemExit(
            f"{name}: a foreign id answers {foreign.status_code} {foreign.content[:200]!r}, "
            f"a missing id {missing.status_code} {missing.content[:200]!r}"
        )


def measure(samples: int, repeat: int) -> dict[str, dict[str, list[float]]]:
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = logged_in_client()
    times: dict[str, dict[str, list[float]]] = {}
    for name, (send, ids) in inputs().items():
        foreign = send(client, ids[0])
        missing = send(client, ids[1])
        same_answer(name, foreign, missing, ids)
        for _ in range(20):  # warm-up: caches, the session, the URL resolver
            send(client, ids[0])
            send(client, ids[1])
        times[name] = {"foreign": [], "missing": []}
        for _round in range(max(1, repeat)):
            for i in range(samples):
                # Alternate which goes first, so that neither always follows the other.
                order = ("foreign", "missing") if i % 2 == 0 else ("missing", "foreign")
                for which in order:
                    pk = ids[0] if which == "foreign" else ids[1]
                    start = time.perf_counter()
                    send(client, pk)
                    times[name][which].append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300, help="pairs per input and round")
    parser.add_argument("--rows", type=int, default=200, help="officials per Pemda")
    add_engine_arguments(parser)
    args = parser.parse_args()
    if not args.child:
        return run_engines(__file__, args.backend)
    with django_child("idtiming"):
        databases = Databases(args.child, "idtiming", setup=lambda: populate(args.rows))
        try:
            databases.fresh("timing")
            times = measure(args.samples, args.repeat)
        finally:
            databases.cleanup()
    worst = 1.0
    print(
        f"{'input':<14} {'foreign ms':>11} {'missing ms':>11} {'ratio':>6}  (medians, {args.child})"
    )
    for name, series in times.items():
        foreign = statistics.median(series["foreign"])
        missing = statistics.median(series["missing"])
        ratio = foreign / missing
        if abs(ratio - 1) > abs(worst - 1):
            worst = ratio
        print(f"{name:<14} {foreign * 1000:>11.2f} {missing * 1000:>11.2f} {ratio:>6.3f}")
    result(
        "id_timing",
        args.child,
        ratio=worst,
        target=f"1.0±{TOLERANCE}",
        ok=abs(worst - 1) <= TOLERANCE,
        digits=3,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
