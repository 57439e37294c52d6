"""Indonesian by default, English by a switch: every string translated, dates and money the local way.

The catalogues are read with a small PO reader below (Django ships none, and a dependency just for
tests is not worth it). The compiled ``.mo`` files are build products (``make messages``).
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, override_settings
from django.utils import translation

from pakta.core.templatetags.pakta import rupiah, tanggal

SOURCE = Path(settings.BASE_DIR)  # src/pakta
CATALOGUE = SOURCE / "locale" / "{lang}" / "LC_MESSAGES" / "django.{ext}"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file, header and obsolete (``#~``) entries excluded."""
    entries: list[Entry] = []
    entry, name, index = Entry(), "", 0
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():  # a blank line ends an entry
            if name:
                entries.append(entry)
            entry, name = Entry(), ""
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif not line.startswith("#"):
            if match := keyword.match(line):
                name = {"msgid_plural": "plural"}.get(match.group(1), match.group(1))
                index, line = int(match.group(2) or 0), match.group(3)
                if name == "msgstr":
                    entry.msgstr[index] = ""
                else:
                    setattr(entry, name, "")
            text = ast.literal_eval(line)  # a continuation line adds to whatever came last
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
    return [e for e in entries if e.msgid]


def placeholders(text: str) -> list[str]:
    """``%(name)s`` for gettext and ``{name}`` for the pact templates' own substitutions."""
    return sorted(re.findall(r"%\(\w+\)[sdfi]|\{\w+\}", text))


def test_every_indonesian_msgid_has_a_translation_and_none_is_fuzzy() -> None:
    entries = read_po(Path(str(CATALOGUE).format(lang="id", ext="po")))
    assert len(entries) > 300  # the reader found the catalogue's entries, not an empty shell
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    plurals = [e for e in entries if e.plural is not None]
    assert plurals, "the catalogue has plural entries"
    assert all(list(e.msgstr) == [0] for e in plurals)  # Indonesian has one plural form


def test_translations_keep_the_placeholders_of_their_msgid() -> None:
    for entry in read_po(Path(str(CATALOGUE).format(lang="id", ext="po"))):
        for text in entry.msgstr.values():
            assert placeholders(text) == placeholders(entry.msgid), entry.msgid


def test_english_catalogue_exists_and_is_the_identity() -> None:
    path = Path(str(CATALOGUE).format(lang="en", ext="po"))
    assert '"Language: en\\n"' in path.read_text(encoding="utf-8")
    entries = read_po(path)
    assert entries
    assert all(not any(e.msgstr.values()) for e in entries)


def test_compiled_catalogues_match_the_po_files() -> None:
    """``make messages`` has been run since the last change to a ``.po`` file."""
    for lang in ("id", "en"):
        mo = Path(str(CATALOGUE).format(lang=lang, ext="mo"))
        assert mo.exists(), f"{mo} is missing: run `make messages`"
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for entry in read_po(Path(str(CATALOGUE).format(lang=lang, ext="po"))):
            fuzzy = "fuzzy" in entry.flags  # msgfmt leaves fuzzy entries out
            expected = (not fuzzy and entry.msgstr.get(0)) or entry.msgid
            if entry.plural is None:
                got = (
                    compiled.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else (compiled.gettext(entry.msgid))
                )
            else:
                got = compiled.ngettext(entry.msgid, entry.plural, 1)
            assert got == expected, f"{lang}: {entry.msgid!r} is stale: run `make messages`"


def test_every_string_in_code_and_templates_is_in_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """makemessages over a copy of the source finds no msgid the committed catalogue lacks."""
    copy = tmp_path / "pakta"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["id"], no_location=True, verbosity=0)
    found = {e.key for e in read_po(copy / "locale" / "id" / "LC_MESSAGES" / "django.po")}
    committed = {e.key for e in read_po(Path(str(CATALOGUE).format(lang="id", ext="po")))}
    for app_catalogue in SOURCE.glob("*/locale/id/LC_MESSAGES/django.po"):  # apps' own
        committed |= {e.key for e in read_po(app_catalogue)}
    assert (None, "Log in") in found  # the extraction really ran
    missing = sorted(msgid for _, msgid in found - committed)
    assert not missing, "run `make makemessages` and translate:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default_and_english_after_the_switch() -> None:
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk" in html
    assert "Log in" not in html

    switched = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert switched.redirect_chain[-1][0] == "/accounts/login/"
    html = switched.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Masuk" not in html
    # and it stays English on the next visit
    assert "Log in" in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize(("lang", "expected"), [("id", "26 Maret 2024"), ("en", "26 March 2024")])
def test_dates_are_written_out_in_the_active_language(lang: str, expected: str) -> None:
    with translation.override(lang):
        assert tanggal(dt.date(2024, 3, 26)) == expected
        rendered = Template('{% load pakta %}{{ d|tanggal }}|{{ d|date:"j F Y" }}').render(
            Context({"d": dt.date(2024, 3, 26)})
        )
        assert rendered == f"{expected}|{expected}"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(1250000, "Rp1.250.000"), (-5000, "-Rp5.000"), (0, "Rp0"), ("999.5", "Rp1.000")],
)
def test_money_is_written_the_indonesian_way(amount: object, expected: str) -> None:
    for lang in ("id", "en"):
        with translation.override(lang):
            assert rupiah(amount) == expected


def test_times_are_shown_in_the_pemdas_zone_the_indonesian_way() -> None:
    from types import SimpleNamespace

    from pakta.core.templatetags.pakta import waktu

    moment = dt.datetime(2024, 3, 26, 12, 57, tzinfo=dt.UTC)
    makassar = SimpleNamespace(timezone="Asia/Makassar")
    with translation.override("id"):
        assert waktu(moment, makassar) == "26 Maret 2024 20.57 WITA"
        assert waktu(moment, SimpleNamespace(timezone="Asia/Jayapura")) == "26 Maret 2024 21.57 WIT"
    with translation.override("en"):
        assert waktu(moment, makassar) == "26 March 2024 20:57 WITA"
