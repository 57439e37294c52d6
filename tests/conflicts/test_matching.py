"""Indonesian name matching and identifier shapes (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pakta.conflicts.matching import Party, match, name_tokens, strip_titles
from pakta.conflicts.validators import (
    nik_birth_date,
    validate_nib,
    validate_nik,
    validate_npwp,
    validate_share,
)


def test_titles_are_stripped() -> None:
    bare, titles = strip_titles("Dr. H. Ahmad Yani, S.H., M.Si.")
    assert bare == "ahmad yani"
    assert "dr." in titles and "h." in titles and "s.h." in titles
    assert strip_titles("Hj. Siti Aminah S.Kom")[0] == "siti aminah"
    assert strip_titles("Ir. Bambang Sutrisno MT")[0] == "bambang sutrisno"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Muhammad Rizki", "Muhamad Rizki"),
        ("Mohammad Rizki", "M. Rizki"),
        ("Moh. Rizki Pratama", "Muhammad Rizki Pratama, S.T."),
        ("Budi Siregar", "Siregar Budi"),
        ("Soekarno Djojohadikoesoemo", "Sukarno Joyohadikusumo"),
        ("Achmad Fauzi", "Akhmad Fauzi"),
        ("A. Rahman Hakim", "Abdul Rahman Hakim"),
    ],
)
def test_variants_match(left: str, right: str) -> None:
    result = match(Party(left), Party(right))
    assert result.is_match, (left, right, result)


def test_different_people_do_not_match() -> None:
    assert not match(Party("Budi Santoso"), Party("Agus Salim")).is_match
    assert not match(Party("Siti Aminah"), Party("Siti Rahmawati")).is_match


def test_single_name_needs_the_birth_date() -> None:
    weak = match(Party("Sutrisno"), Party("Sutrisno Wibowo"))
    assert not weak.is_match
    assert "satu nama saja (bukti lemah)" in weak.evidence
    born = dt.date(1970, 5, 2)
    strong = match(Party("Sutrisno", birth_date=born), Party("Sutrisno Wibowo", birth_date=born))
    assert strong.is_match
    assert any("tanggal lahir sama" in line for line in strong.evidence)


def test_identifiers_decide_over_names() -> None:
    nik = "3201014505800001"
    same = match(
        Party("Siti Aminah", identifiers={"nik": nik}), Party("Aminah", identifiers={"nik": nik})
    )
    assert same.score == 1.0 and same.decided_by == "identifier"
    other = match(
        Party("Siti Aminah", identifiers={"nik": nik}),
        Party("Siti Aminah", identifiers={"nik": "3201014505800002"}),
    )
    assert other.score == 0.0 and not other.is_match
    npwp = match(
        Party("PT Maju Jaya", "company", {"npwp": "01.234.567.8-901.000"}),
        Party("Maju Jaya, CV", "company", {"npwp": "0012345678901000"}),
    )
    assert npwp.is_match


def test_company_forms_are_ignored() -> None:
    assert match(Party("PT. Maju Jaya", "company"), Party("Maju Jaya Tbk", "company")).is_match
    assert name_tokens("Budi") == ["budi"]


def test_identifier_shapes() -> None:
    assert validate_nik("3201014505800001") == "3201014505800001"
    assert nik_birth_date("3201014505800001") == dt.date(1980, 5, 5)  # a woman: day + 40
    for bad in ("320101450580000", "3201013202800001", "3201019913800001", "abcd"):
        with pytest.raises(ValidationError):
            validate_nik(bad)
    assert validate_npwp("01.234.567.8-901.000") == "012345678901000"
    assert validate_npwp("1234567890123456") == "1234567890123456"
    with pytest.raises(ValidationError):
        validate_npwp("12345")
    assert validate_nib("1234567890123") == "1234567890123"
    with pytest.raises(ValidationError):
        validate_nib("123456789012")
    with pytest.raises(ValidationError):
        validate_share("100.5")
    assert str(validate_share("25,5")) == "25.5"
