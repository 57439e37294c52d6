"""NIP validation: each way a NIP can be wrong gets its own message, in both languages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pakta.org.nip import parse_nip

TODAY = dt.date(2026, 11, 23)


def test_valid_nip_gives_birth_date_appointment_and_sex() -> None:
    parts = parse_nip("198503142010011002", today=TODAY)
    assert parts.birth_date == dt.date(1985, 3, 14)
    assert (parts.appointment_year, parts.appointment_month) == (2010, 1)
    assert parts.sex == "L"
    assert parts.serial == 2


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850314201001100", "nip_length"),
        ("1985031420100110021", "nip_length"),
        ("19850314201001100a", "nip_digits"),
        ("198502302010011002", "nip_birth_date"),  # 30 February
        ("198503142010131002", "nip_appointment"),  # month 13
        ("198503142002011002", "nip_appointment_too_early"),  # appointed at 16
        ("198503142030011002", "nip_appointment_future"),
        ("198503142010013002", "nip_sex"),
        ("198503142010011000", "nip_serial"),
    ],
)
def test_invalid_nip_says_what_is_wrong(nip: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_nip(nip, today=TODAY)
    assert error.value.code == code


def test_messages_are_translated() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as english:
        parse_nip("198502302010011002", today=TODAY)
    with translation.override("id"), pytest.raises(ValidationError) as indonesian:
        parse_nip("198502302010011002", today=TODAY)
    assert "not a real birth date" in english.value.messages[0]
    assert "bukan tanggal lahir yang valid" in indonesian.value.messages[0]
