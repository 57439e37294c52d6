"""Organisation services: each write changes the data AND records one audit event; a refused
write raises DomainError, leaves no row and records nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.http import Http404
from django.utils import translation

from pakta.accounts.models import User
from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.core.permissions import unit_scope
from pakta.core.roles import Role
from pakta.org import selectors
from pakta.org import services as org
from pakta.org.models import Assignment, Official, Pemda, Position, Unit
from tests.conftest import make_user
from tests.kit import AuditWatch, make_nip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def only_event(watch: AuditWatch) -> AuditEvent:
    events = watch.events()
    assert len(events) == 1, [e.action for e in events]
    return events[0]


# --- Pemda ------------------------------------------------------------------------------------


def test_pemda_create_saves_and_records_event(superadmin: User) -> None:
    watch = AuditWatch()
    pemda = org.pemda_create(
        acting_user=superadmin,
        name="Provinsi Gamma",
        slug="gamma",
        kind=Pemda.Kind.PROVINSI,
        kemendagri_code="97",
        timezone=Pemda.Zone.WITA,
    )
    stored = Pemda.objects.get(pk=pemda.pk)
    assert (stored.name, stored.kind, stored.timezone) == (
        "Provinsi Gamma",
        "provinsi",
        "Asia/Makassar",
    )
    event = only_event(watch)
    assert event.action == "org.pemda.created"
    assert event.object_type == "org.pemda"
    assert event.object_id == str(pemda.pk)
    assert event.pemda_id == pemda.pk
    assert event.actor_id == superadmin.pk
    assert event.summary == {"code": "97"}


def test_pemda_update_records_changed_fields(pemda_a: Pemda, superadmin: User) -> None:
    watch = AuditWatch()
    org.pemda_update(
        pemda=pemda_a, acting_user=superadmin, seat="Kota Baru", timezone=Pemda.Zone.WIT
    )
    stored = Pemda.objects.get(pk=pemda_a.pk)
    assert (stored.seat, stored.timezone) == ("Kota Baru", "Asia/Jayapura")
    event = only_event(watch)
    assert (event.action, event.object_id) == ("org.pemda.updated", str(pemda_a.pk))
    assert event.summary == {"changed": ["seat", "timezone"]}


def test_pemda_with_a_taken_kemendagri_code_is_refused(pemda_a: Pemda, superadmin: User) -> None:
    watch = AuditWatch()
    with pytest.raises(DomainError):
        org.pemda_create(
            acting_user=superadmin,
            name="Duplikat",
            slug="dup",
            kind="kota",
            kemendagri_code="98.01",
        )
    assert not Pemda.objects.filter(slug="dup").exists()
    assert watch.events() == []


# --- Units ------------------------------------------------------------------------------------


def test_unit_create_under_a_parent_sets_its_path_and_records_event(
    unit_a: Unit, superadmin: User
) -> None:
    watch = AuditWatch()
    child = org.unit_create(
        pemda=unit_a.pemda,
        parent=unit_a,
        name="Bidang P2P",
        kind="sub_unit",
        acting_user=superadmin,
    )
    assert Unit.objects.get(pk=child.pk).path == f"{unit_a.path}{child.pk}/"
    assert child.depth == 1
    event = only_event(watch)
    assert (event.action, event.object_id) == ("org.unit.created", str(child.pk))
    assert event.pemda_id == unit_a.pemda_id
    assert event.summary == {"parent_id": unit_a.pk}


def test_unit_with_the_same_name_under_the_same_parent_is_refused(
    unit_a: Unit, superadmin: User
) -> None:
    watch = AuditWatch()
    count = Unit.objects.count()
    with pytest.raises(DomainError, match="already exists"):
        org.unit_create(pemda=unit_a.pemda, name="dinas kesehatan", acting_user=superadmin)
    assert Unit.objects.count() == count
    assert watch.events() == []


def test_unit_update_moves_the_subtree_and_records_event(
    pemda_a: Pemda, unit_a: Unit, superadmin: User
) -> None:
    child = org.unit_create(pemda=pemda_a, parent=unit_a, name="Bidang", acting_user=superadmin)
    grandchild = org.unit_create(pemda=pemda_a, parent=child, name="Seksi", acting_user=superadmin)
    other = org.unit_create(pemda=pemda_a, name="Sekretariat Daerah", acting_user=superadmin)
    watch = AuditWatch()

    org.unit_update(
        unit=child, acting_user=superadmin, name="Bidang Umum", kind="sub_unit", parent=other
    )

    child.refresh_from_db()
    grandchild.refresh_from_db()
    assert child.parent_id == other.pk
    assert child.path == f"{other.path}{child.pk}/"
    assert grandchild.path == f"{other.path}{child.pk}/{grandchild.pk}/"
    # the moved subtree is now found under its new parent, not under the old one
    assert set(selectors.unit_list_for(pemda=pemda_a, scope=[other])) == {other, child, grandchild}
    assert set(selectors.unit_list_for(pemda=pemda_a, scope=[unit_a])) == {unit_a}
    event = only_event(watch)
    assert (event.action, event.object_id) == ("org.unit.updated", str(child.pk))
    assert event.summary == {"changed": ["kind", "name", "parent_id"]}


@pytest.mark.parametrize("target", ["itself", "child", "grandchild"])
def test_unit_moved_under_itself_is_refused(
    pemda_a: Pemda, unit_a: Unit, superadmin: User, target: str
) -> None:
    child = org.unit_create(pemda=pemda_a, parent=unit_a, name="Bidang", acting_user=superadmin)
    grandchild = org.unit_create(pemda=pemda_a, parent=child, name="Seksi", acting_user=superadmin)
    parent = {"itself": unit_a, "child": child, "grandchild": grandchild}[target]
    paths = dict(Unit.objects.values_list("pk", "path"))
    watch = AuditWatch()

    with pytest.raises(DomainError, match="cannot be moved under itself"):
        org.unit_update(
            unit=unit_a, acting_user=superadmin, name=unit_a.name, kind=unit_a.kind, parent=parent
        )

    assert dict(Unit.objects.values_list("pk", "path")) == paths
    assert Unit.objects.get(pk=unit_a.pk).parent_id is None
    assert watch.events() == []


def test_unit_moved_into_another_pemda_is_refused(
    unit_a: Unit, pemda_b: Pemda, superadmin: User
) -> None:
    foreign = org.unit_create(pemda=pemda_b, name="Dinas Lain", acting_user=superadmin)
    watch = AuditWatch()
    with pytest.raises(DomainError):
        org.unit_update(
            unit=unit_a, acting_user=superadmin, name=unit_a.name, kind=unit_a.kind, parent=foreign
        )
    assert Unit.objects.get(pk=unit_a.pk).parent_id is None
    assert watch.events() == []


# --- Positions --------------------------------------------------------------------------------


def test_position_create_and_update_record_events(
    pemda_a: Pemda, unit_a: Unit, superadmin: User
) -> None:
    watch = AuditWatch()
    position = org.position_create(
        pemda=pemda_a,
        unit=unit_a,
        title="Sekretaris Dinas",
        level="administrator",
        acting_user=superadmin,
    )
    assert Position.objects.get(pk=position.pk).eselon == "III"
    created = only_event(watch)
    assert (created.action, created.object_id) == ("org.position.created", str(position.pk))
    assert created.summary == {"unit_id": unit_a.pk, "level": "administrator"}

    other = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    watch = AuditWatch()
    org.position_update(
        position=position,
        acting_user=superadmin,
        title="Sekretaris",
        level="administrator",
        unit=other,
    )
    stored = Position.objects.get(pk=position.pk)
    assert (stored.title, stored.unit_id) == ("Sekretaris", other.pk)
    updated = only_event(watch)
    assert (updated.action, updated.object_id) == ("org.position.updated", str(position.pk))
    assert updated.summary == {"changed": ["title", "unit_id"]}


def test_position_in_a_unit_of_another_pemda_is_refused(
    pemda_b: Pemda, unit_a: Unit, superadmin: User
) -> None:
    watch = AuditWatch()
    with pytest.raises(DomainError):
        org.position_create(
            pemda=pemda_b, unit=unit_a, title="Kepala", level="pelaksana", acting_user=superadmin
        )
    assert not Position.objects.filter(title="Kepala").exists()
    assert watch.events() == []


# --- Officials --------------------------------------------------------------------------------


def test_official_create_reads_birth_date_and_sex_from_the_nip(
    pemda_a: Pemda, superadmin: User
) -> None:
    watch = AuditWatch()
    official = org.official_create(
        pemda=pemda_a,
        nip="19850314 201001 2 002",
        name="  Siti Aminah ",
        acting_user=superadmin,
        front_title="Dr.",
        back_title="M.Si.",
        golongan="Pembina (IV/a)",
    )
    stored = Official.objects.get(pk=official.pk)
    assert stored.nip == "198503142010012002"
    assert stored.name == "Siti Aminah"
    assert stored.birth_date == dt.date(1985, 3, 14)
    assert stored.sex == Official.Sex.FEMALE
    assert stored.full_name == "Dr. Siti Aminah, M.Si."
    event = only_event(watch)
    assert (event.action, event.object_id) == ("org.official.created", str(official.pk))
    assert event.object_type == "org.official"
    assert event.pemda_id == pemda_a.pk
    assert event.summary == {"nip": "198503142010012002"}


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("12345", "The NIP must have 18 digits; this one has 5."),
        ("19850314201001100x", "The NIP must contain digits only."),
        ("198502302010011002", "are not a real birth date"),
        ("198503142002011002", "before the official's 18th birthday"),
        ("198503142010013002", "must be 1 (male) or 2 (female), not 3"),
    ],
)
def test_official_with_an_invalid_nip_is_refused(
    pemda_a: Pemda, superadmin: User, nip: str, message: str
) -> None:
    watch = AuditWatch()
    with pytest.raises(DomainError) as error:
        org.official_create(pemda=pemda_a, nip=nip, name="Salah", acting_user=superadmin)
    assert message in str(error.value)
    assert not Official.objects.filter(name="Salah").exists()
    assert watch.events() == []


@pytest.mark.parametrize("where", ["same_pemda", "other_pemda"])
def test_official_with_a_duplicate_nip_is_refused(
    official_a: Official, pemda_b: Pemda, superadmin: User, where: str
) -> None:
    pemda = official_a.pemda if where == "same_pemda" else pemda_b
    watch = AuditWatch()
    with pytest.raises(DomainError) as error:
        org.official_create(pemda=pemda, nip=official_a.nip, name="Kembar", acting_user=superadmin)
    assert str(error.value) == f"An official with NIP {official_a.nip} is already registered."
    assert Official.objects.filter(nip=official_a.nip).count() == 1
    assert not Official.objects.filter(name="Kembar").exists()
    assert watch.events() == []


def test_official_update_records_the_changed_fields_only(
    official_a: Official, superadmin: User
) -> None:
    watch = AuditWatch()
    org.official_update(
        official=official_a,
        acting_user=superadmin,
        golongan="Pembina Utama Muda (IV/c)",
        name="Hadi Santoso",
    )
    assert Official.objects.get(pk=official_a.pk).golongan == "Pembina Utama Muda (IV/c)"
    event = only_event(watch)
    assert (event.action, event.object_id) == ("org.official.updated", str(official_a.pk))
    assert event.summary == {"changed": ["golongan"]}

    # Saving the same values again is not a change and writes no event.
    watch = AuditWatch()
    org.official_update(
        official=official_a, acting_user=superadmin, golongan="Pembina Utama Muda (IV/c)"
    )
    assert watch.events() == []


def test_official_update_with_an_invalid_email_is_refused(
    official_a: Official, superadmin: User
) -> None:
    watch = AuditWatch()
    with pytest.raises(DomainError):
        org.official_update(official=official_a, acting_user=superadmin, email="not-an-address")
    assert Official.objects.get(pk=official_a.pk).email == ""
    assert watch.events() == []


# --- Assignments ------------------------------------------------------------------------------


def test_a_new_definitive_assignment_ends_the_current_one_the_day_before(
    official_a: Official, pemda_a: Pemda, superadmin: User
) -> None:
    old = official_a.assignments.get()
    unit = org.unit_create(pemda=pemda_a, name="Inspektorat Daerah", acting_user=superadmin)
    position = org.position_create(
        pemda=pemda_a, unit=unit, title="Inspektur", level="jpt_pratama", acting_user=superadmin
    )
    watch = AuditWatch()

    new = org.assignment_start(
        official=official_a,
        position=position,
        start_date=dt.date(2025, 7, 1),
        acting_user=superadmin,
    )

    old.refresh_from_db()
    assert old.end_date == dt.date(2025, 6, 30)
    assert new.end_date is None
    history = list(selectors.assignment_history(official=official_a))
    assert [(a.position.title, a.start_date, a.end_date) for a in history] == [
        ("Inspektur", dt.date(2025, 7, 1), None),
        ("Kepala Dinas Kesehatan", dt.date(2023, 1, 2), dt.date(2025, 6, 30)),
    ]
    # Other apps may react to the move (a new integrity pact); the org events are these two.
    ended, started = [e for e in watch.events() if e.action.startswith("org.")]
    assert (ended.action, ended.object_id) == ("org.assignment.ended", str(old.pk))
    assert ended.summary == {"end_date": "2025-06-30"}
    assert (started.action, started.object_id) == ("org.assignment.started", str(new.pk))
    assert started.summary["official_id"] == official_a.pk
    assert started.summary["position_id"] == position.pk
    assert started.summary["start_date"] == "2025-07-01"


@pytest.mark.parametrize("start", [dt.date(2022, 12, 31), dt.date(2023, 1, 2)])
def test_an_assignment_starting_before_the_current_one_is_refused(
    official_a: Official, pemda_a: Pemda, unit_a: Unit, superadmin: User, start: dt.date
) -> None:
    position = org.position_create(
        pemda=pemda_a,
        unit=unit_a,
        title="Sekretaris",
        level="administrator",
        acting_user=superadmin,
    )
    rows = list(Assignment.objects.values_list("pk", "end_date"))
    watch = AuditWatch()

    with pytest.raises(DomainError) as error:
        org.assignment_start(
            official=official_a, position=position, start_date=start, acting_user=superadmin
        )

    assert str(error.value) == "The new assignment must start after the current one (2023-01-02)."
    assert list(Assignment.objects.values_list("pk", "end_date")) == rows
    assert not Assignment.objects.filter(position=position).exists()
    assert watch.events() == []


def test_the_same_position_again_is_refused(
    official_a: Official, position_a: Position, superadmin: User
) -> None:
    watch = AuditWatch()
    with pytest.raises(DomainError, match="already holds this position"):
        org.assignment_start(
            official=official_a,
            position=position_a,
            start_date=dt.date(2025, 1, 1),
            acting_user=superadmin,
        )
    assert official_a.assignments.count() == 1
    assert watch.events() == []


def test_an_acting_assignment_keeps_the_definitive_one(
    official_a: Official, pemda_a: Pemda, superadmin: User
) -> None:
    unit = org.unit_create(pemda=pemda_a, name="Badan Keuangan", acting_user=superadmin)
    position = org.position_create(
        pemda=pemda_a, unit=unit, title="Kepala Badan", level="jpt_pratama", acting_user=superadmin
    )
    org.assignment_start(
        official=official_a,
        position=position,
        start_date=dt.date(2025, 3, 1),
        acting_user=superadmin,
        kind=Assignment.Kind.PLT,
    )
    current = official_a.assignments.filter(end_date__isnull=True)
    assert sorted(current.values_list("kind", flat=True)) == ["definitif", "plt"]


# --- Selectors: Kepala OPD see their unit subtree only ----------------------------------------


def _assign(pemda: Pemda, unit: Unit, index: int, actor: User) -> Official:
    position = org.position_create(
        pemda=pemda, unit=unit, title=f"Staf {index}", level="pelaksana", acting_user=actor
    )
    official = org.official_create(
        pemda=pemda, nip=make_nip(index), name=f"Pegawai {index}", acting_user=actor
    )
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 1), acting_user=actor
    )
    return official


def test_kepala_opd_scope_shows_only_officials_in_the_unit_subtree(
    pemda_a: Pemda, pemda_b: Pemda, superadmin: User
) -> None:
    dinas = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    bidang = org.unit_create(pemda=pemda_a, parent=dinas, name="Bidang SD", acting_user=superadmin)
    seksi = org.unit_create(
        pemda=pemda_a, parent=bidang, name="Seksi Kurikulum", acting_user=superadmin
    )
    other = org.unit_create(pemda=pemda_a, name="Dinas Perhubungan", acting_user=superadmin)
    sub_other = org.unit_create(
        pemda=pemda_a, parent=other, name="Bidang SD", acting_user=superadmin
    )
    foreign = org.unit_create(pemda=pemda_b, name="Dinas Pendidikan", acting_user=superadmin)

    in_dinas = _assign(pemda_a, dinas, 1, superadmin)
    in_bidang = _assign(pemda_a, bidang, 2, superadmin)
    in_seksi = _assign(pemda_a, seksi, 3, superadmin)
    in_other = _assign(pemda_a, other, 4, superadmin)
    in_sub_other = _assign(pemda_a, sub_other, 5, superadmin)
    _assign(pemda_b, foreign, 6, superadmin)
    unassigned = org.official_create(
        pemda=pemda_a, nip=make_nip(7), name="Tanpa Jabatan", acting_user=superadmin
    )

    kepala = make_user(
        "kepala-pendidikan", pemda_a, Role.KEPALA_OPD, unit=bidang, granter=superadmin
    )
    scope = unit_scope(kepala, pemda_a, "org.view")
    assert scope == [bidang]

    assert set(selectors.official_list_for(pemda=pemda_a, scope=scope)) == {in_bidang, in_seksi}
    assert set(selectors.unit_list_for(pemda=pemda_a, scope=scope)) == {bidang, seksi}
    assert {p.unit for p in selectors.position_list_for(pemda=pemda_a, scope=scope)} == {
        bidang,
        seksi,
    }
    with pytest.raises(Http404):
        selectors.official_get_for(pemda=pemda_a, pk=in_dinas.pk, scope=scope)
    with pytest.raises(Http404):
        selectors.unit_get_for(pemda=pemda_a, pk=dinas.pk, scope=scope)
    assert selectors.official_get_for(pemda=pemda_a, pk=in_seksi.pk, scope=scope) == in_seksi

    # Without a scope (an admin) the whole Pemda, and only this Pemda, is visible.
    everyone = {in_dinas, in_bidang, in_seksi, in_other, in_sub_other, unassigned}
    assert set(selectors.official_list_for(pemda=pemda_a)) == everyone
    assert (
        unit_scope(
            make_user("admin-x", pemda_a, Role.ADMIN, granter=superadmin), pemda_a, "org.view"
        )
        is None
    )

    # A Kepala OPD who moves out of the subtree disappears from it.
    org.assignment_start(
        official=in_seksi,
        position=Position.objects.get(title="Staf 4"),
        start_date=dt.date(2025, 1, 1),
        acting_user=superadmin,
    )
    assert set(selectors.official_list_for(pemda=pemda_a, scope=scope)) == {in_bidang}


def test_official_list_filters(pemda_a: Pemda, superadmin: User) -> None:
    dinas = org.unit_create(pemda=pemda_a, name="Dinas Pendidikan", acting_user=superadmin)
    bidang = org.unit_create(pemda=pemda_a, parent=dinas, name="Bidang SD", acting_user=superadmin)
    other = org.unit_create(pemda=pemda_a, name="Dinas Sosial", acting_user=superadmin)
    a = _assign(pemda_a, bidang, 1, superadmin)
    b = _assign(pemda_a, other, 2, superadmin)
    head = org.position_create(
        pemda=pemda_a,
        unit=other,
        title="Kepala Dinas Sosial",
        level="jpt_pratama",
        acting_user=superadmin,
    )
    org.assignment_start(
        official=b, position=head, start_date=dt.date(2025, 1, 1), acting_user=superadmin
    )

    assert list(selectors.official_list_for(pemda=pemda_a, unit=dinas)) == [a]
    assert list(selectors.official_list_for(pemda=pemda_a, level="jpt_pratama")) == [b]
    assert list(selectors.official_list_for(pemda=pemda_a, level="pelaksana")) == [a]
    assert list(selectors.official_list_for(pemda=pemda_a, search="pegawai 2")) == [b]
    assert list(selectors.official_list_for(pemda=pemda_a, search=make_nip(1))) == [a]
