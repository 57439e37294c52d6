"""Domain rows bound to their history: after the demo content is created through the services
in every area, every audited row matches the hash its latest event recorded; a pact's status
changed with plain SQL is named by `audit verify --rows`."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from pakta.audit.rows import ROW_FIELDS
from pakta.audit.verify import rows_verify
from pakta.pacts.models import Pact

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_rows_match_their_events_and_a_pact_changed_with_sql_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("load_demo", officials=60, stdout=io.StringIO())
    checked, problems = rows_verify()
    assert problems == [], Counter((p.label, p.message.split(" #")[0]) for p in problems)
    kinds = {label for label in ROW_FIELDS if label}
    assert checked > 100 and kinds

    pact = Pact.objects.filter(status=Pact.Status.SIGNED).first()
    assert pact is not None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pacts_pact SET status = 'pending' WHERE id = %s", [pact.pk])

    with translation.override("en"), pytest.raises(CommandError, match="audited rows BROKEN"):
        call_command("audit_verify", "--rows")
    err = capsys.readouterr().err
    assert f"row pacts.pact #{pact.pk}: changed outside the app after audit event #" in err
    assert err.count("row ") == 1
