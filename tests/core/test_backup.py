"""Backup and restore, end to end, on whichever database the suite runs on (SQLite or PostgreSQL).

The round trip: data made through services (a Pemda with a logo, units, officials), `manage.py
backup`, the installation wiped (database flushed, document store deleted), `manage.py restore`,
and then the same rows, a verified audit chain, verified document hashes and identical logo bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation
from PIL import Image

from pakta.accounts.models import User
from pakta.accounts.services import user_create
from pakta.audit.models import AuditEvent, ChainHead
from pakta.audit.selectors import audit_chain_verify
from pakta.core.documents import document_read, document_verify_all
from pakta.core.models import Document
from pakta.org import services as org
from pakta.org.models import Assignment, Official, Pemda, Position, Unit

pytestmark = pytest.mark.django_db(transaction=True)

NIPS = ["197001012000031001", "198205152008012002", "199011302015031003"]


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages are matched in English; the Indonesian catalogue is tested elsewhere."""
    with translation.override("en"):
        yield


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def logo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def populate() -> Pemda:
    root = user_create(username="root", password=None, acting_user=None, is_superuser=True)
    pemda = org.pemda_create(
        acting_user=root,
        name="Kabupaten Alfa",
        slug="alfa",
        kind="kabupaten",
        kemendagri_code="98.01",
        address="Jl. Merdeka 1",
        logo=SimpleUploadedFile("logo.png", logo_bytes(), content_type="image/png"),
    )
    unit = org.unit_create(pemda=pemda, name="Dinas Kesehatan", acting_user=root)
    position = org.position_create(
        pemda=pemda, unit=unit, title="Kepala Dinas", level="jpt_pratama", acting_user=root
    )
    for index, nip in enumerate(NIPS):
        official = org.official_create(
            pemda=pemda, nip=nip, name=f"Pegawai Contoh {index}", acting_user=root
        )
        if index == 0:
            org.assignment_start(
                official=official,
                position=position,
                start_date=dt.date(2023, 1, 2),
                acting_user=root,
            )
    return pemda


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row that the round trip must bring back, in a comparable form."""
    return {
        "pemda": list(Pemda.objects.order_by("pk").values_list("pk", "name", "address", "logo")),
        "unit": list(Unit.objects.order_by("pk").values_list("pk", "pemda", "name", "path")),
        "position": list(Position.objects.order_by("pk").values_list("pk", "unit", "title")),
        "official": list(Official.objects.order_by("pk").values_list("pk", "nip", "name")),
        "assignment": list(
            Assignment.objects.order_by("pk").values_list("pk", "official", "position")
        ),
        "user": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        "document": list(Document.objects.order_by("pk").values_list("pk", "sha256", "size")),
        "audit": list(AuditEvent.objects.order_by("seq").values_list("seq", "action", "hash")),
    }


def wipe(media_root: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root, ignore_errors=True)
    assert not Pemda.objects.exists()
    assert not AuditEvent.objects.exists()


def media_files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def backup(tmp_path: Path) -> Path:
    archive = tmp_path / "pakta.tar.gz"
    output = run("backup", "--output", str(archive))
    assert str(archive) in output
    return archive


def test_round_trip_restores_rows_chain_and_documents(media_root: Path, tmp_path: Path) -> None:
    pemda = populate()
    before = snapshot()
    original_logo = logo_bytes()
    assert pemda.logo is not None
    logo_sha = pemda.logo.sha256
    archive = backup(tmp_path)

    wipe(media_root)
    assert media_files(media_root) == []

    output = run("restore", str(archive))

    assert f"audit chain OK: {len(before['audit'])} events verified." in output
    assert "documents OK: 1 hashes verified." in output
    after = snapshot()
    # The restore itself is a state change and appends one event to the restored chain.
    restored_event = after["audit"].pop()
    assert restored_event[:2] == (len(before["audit"]) + 1, "core.backup.restored")
    assert after == before
    assert audit_chain_verify().ok
    assert all(ok for _, ok in document_verify_all())
    restored = Pemda.objects.get(slug="alfa")
    assert restored.logo is not None
    assert document_read(restored.logo) == original_logo
    assert hashlib.sha256(original_logo).hexdigest() == logo_sha
    assert (media_root / restored.logo.storage_name).read_bytes() == original_logo


def test_archive_manifest_lists_every_member_with_its_hash(
    media_root: Path, tmp_path: Path
) -> None:
    populate()
    head = ChainHead.objects.get(pk=1)
    archive = backup(tmp_path)

    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isreg()}  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["audit_chain_head"] == {"seq": head.seq, "hash": head.hash}
    assert manifest["app_version"]
    assert manifest["created_at"]
    assert set(manifest["files"]) == set(members)
    for name, content in members.items():
        assert manifest["files"][name] == {
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
        }
    logo = Document.objects.get()
    assert members[f"media/{logo.storage_name}"] == logo_bytes()
    database = "database/pakta.sqlite3" if connection.vendor == "sqlite" else "database/pakta.dump"
    assert manifest["database"] == database
    assert database in members


def test_default_output_goes_to_var_backups(
    media_root: Path, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    populate()

    output = run("backup")

    archives = list((tmp_path / "var" / "backups").glob("pakta-backup-*.tar.gz"))
    assert len(archives) == 1
    assert str(archives[0]) in output


def test_restore_into_non_empty_database_is_refused_unless_forced(
    media_root: Path, tmp_path: Path
) -> None:
    populate()
    archive = backup(tmp_path)
    root = User.objects.get(username="root")
    org.pemda_create(
        acting_user=root, name="Kota Beta", slug="beta", kind="kota", kemendagri_code="98.71"
    )
    before = snapshot()

    with pytest.raises(CommandError, match="already holds data"):
        run("restore", str(archive))
    assert snapshot() == before

    # --force replaces the database with the archive's: the Pemda made after the backup is gone.
    output = run("restore", str(archive), "--force")
    assert "audit chain OK" in output
    assert list(Pemda.objects.values_list("slug", flat=True)) == ["alfa"]
    assert audit_chain_verify().ok


def rewrite_member(archive: Path, pick: str, change: Any) -> str:
    """Copy the archive with one member's bytes changed (its manifest entry left as it was)."""
    tampered = archive.with_name("tampered.tar.gz")
    changed = ""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if not changed and member.name.startswith(pick):
                data, changed = change(data), member.name
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    assert changed
    tampered.replace(archive)
    return changed


def flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF])


@pytest.mark.parametrize("pick", ["database/", "media/"])
def test_archive_with_a_modified_member_is_refused(
    media_root: Path, tmp_path: Path, pick: str
) -> None:
    populate()
    archive = backup(tmp_path)
    name = rewrite_member(archive, pick, flip_last_byte)
    wipe(media_root)

    with pytest.raises(CommandError, match="does not match its SHA-256") as error:
        run("restore", str(archive))

    assert name in str(error.value)
    assert not Pemda.objects.exists()
    assert not AuditEvent.objects.exists()
    assert media_files(media_root) == []


def test_archive_with_an_unlisted_member_is_refused(media_root: Path, tmp_path: Path) -> None:
    populate()
    archive = backup(tmp_path)
    with tarfile.open(archive, "r:gz") as source:
        members = [(m, source.extractfile(m).read()) for m in source]  # type: ignore[union-attr]
    with tarfile.open(archive, "w:gz") as target:
        for member, data in [*members, (tarfile.TarInfo("media/extra"), b"not in the manifest")]:
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    wipe(media_root)

    with pytest.raises(CommandError, match="not listed in the manifest"):
        run("restore", str(archive))

    assert not Pemda.objects.exists()
    assert media_files(media_root) == []


def test_a_file_that_is_not_an_archive_is_refused(media_root: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"this is not a backup")

    with pytest.raises(CommandError, match="not a readable backup archive"):
        run("restore", str(bogus))


def break_chain(media_root: Path) -> None:
    AuditEvent.objects.filter(seq=2).update(action="org.pemda.updated")


def lose_logo(media_root: Path) -> None:
    (media_root / Document.objects.get().storage_name).unlink()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (break_chain, "audit chain BROKEN at event #2"),
        (lose_logo, "documents: 1 of 1 FAILED hash verification"),
    ],
)
def test_restore_fails_when_the_restored_data_does_not_verify(
    media_root: Path, tmp_path: Path, damage: Any, expected: str
) -> None:
    """An archive can be intact and still hold a broken installation: restore says so."""
    populate()
    damage(media_root)
    archive = backup(tmp_path)
    wipe(media_root)
    out = io.StringIO()

    with pytest.raises(CommandError, match="verification after restore FAILED"):
        call_command("restore", str(archive), stdout=out)

    assert expected in out.getvalue()
    assert not AuditEvent.objects.filter(action="core.backup.restored").exists()
