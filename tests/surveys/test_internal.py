"""The internal survey: versioned questionnaires, one single-use token per employee by e-mail,
answers that cannot be tied to a token (even by someone reading the whole database and the audit
log), the 10-respondent rule, and the index per unit and for the Pemda."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from pakta.audit.models import AuditEvent
from pakta.core.errors import DomainError
from pakta.org import services as org
from pakta.org.models import Official, Pemda, Position, Unit
from pakta.surveys import selectors, services
from pakta.surveys.models import (
    Category,
    Questionnaire,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyToken,
)
from pakta.surveys.scoring import Layout, score_responses
from tests.conftest import client_for

TOKEN_RE = re.compile(r"/survei/([A-Za-z0-9_-]+)/")


def _published(pemda: Pemda, user: Any, questions: Any = None) -> Questionnaire:
    questionnaire = services.questionnaire_create(
        pemda=pemda, acting_user=user, questions=questions
    )
    return services.questionnaire_publish(questionnaire=questionnaire, acting_user=user)


def _open_survey(pemda: Pemda, user: Any, questions: Any = None, year: int = 2024) -> Survey:
    survey = services.survey_create(
        pemda=pemda,
        questionnaire=_published(pemda, user, questions),
        title="Survei Integritas Internal 2024",
        year=year,
        acting_user=user,
    )
    return services.survey_open(survey=survey, acting_user=user)


def _staff(
    pemda: Pemda, user: Any, unit_name: str, count: int, start: int
) -> tuple[Unit, list[Official]]:
    unit = org.unit_create(pemda=pemda, name=unit_name, acting_user=user)
    position = org.position_create(
        pemda=pemda, unit=unit, title=f"Analis {unit_name}", level="fungsional", acting_user=user
    )
    officials = []
    for n in range(start, start + count):
        official = org.official_create(
            pemda=pemda,
            nip=f"19800101200501{1 if n % 2 else 2}{n:03d}",
            name=f"Pegawai {n}",
            email=f"pegawai{n}@example.go.id",
            acting_user=user,
        )
        org.assignment_start(
            official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=user
        )
        officials.append(official)
    return unit, officials


def _tokens_from_mail() -> list[str]:
    return [TOKEN_RE.search(m.body).group(1) for m in mail.outbox]  # type: ignore[union-attr]


# --- Questionnaires ------------------------------------------------------------------------------


def test_published_questionnaire_is_immutable_and_new_version_copies(pemda_a, superadmin) -> None:
    draft = services.questionnaire_create(pemda=pemda_a, acting_user=superadmin)
    assert draft.questions.count() == 14
    assert set(draft.questions.values_list("dimension", flat=True)) == {
        "transparency",
        "hr_management",
        "budget_management",
        "integrity_in_duties",
        "trading_in_influence",
        "procurement",
        "anticorruption_socialisation",
    }
    services.questionnaire_update(
        questionnaire=draft,
        acting_user=superadmin,
        title="Survei v1",
        scale=4,
        questions=[
            ("procurement", "Paket diumumkan.", False),
            ("hr_management", "Mutasi dibeli.", True),
        ],
    )
    published = services.questionnaire_publish(questionnaire=draft, acting_user=superadmin)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        services.questionnaire_update(
            questionnaire=published,
            acting_user=superadmin,
            title="x",
            scale=5,
            questions=[("procurement", "x", False)],
        )
    assert published.questions.count() == 2 and AuditEvent.objects.count() == events
    second = services.questionnaire_new_version(questionnaire=published, acting_user=superadmin)
    assert second.version == 2 and not second.is_published
    assert list(second.questions.values_list("text", "reverse_scored")) == [
        ("Paket diumumkan.", False),
        ("Mutasi dibeli.", True),
    ]


def test_a_survey_needs_a_published_questionnaire(pemda_a, superadmin) -> None:
    draft = services.questionnaire_create(pemda=pemda_a, acting_user=superadmin)
    with pytest.raises(DomainError):
        services.survey_create(
            pemda=pemda_a, questionnaire=draft, title="x", year=2024, acting_user=superadmin
        )
    assert not Survey.objects.exists()


# --- Invitations and answering -----------------------------------------------------------------


def test_each_official_gets_one_single_use_token_by_email(pemda_a, superadmin) -> None:
    _unit, officials = _staff(pemda_a, superadmin, "Dinas Satu", 3, 1)
    survey = _open_survey(pemda_a, superadmin)
    run = services.survey_invite(survey=survey, acting_user=superadmin)
    assert (run.invited, run.emailed) == (3, 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in officials)
    tokens = _tokens_from_mail()
    assert len(set(tokens)) == 3
    # Only hashes are stored: no token appears in the database.
    stored = list(SurveyToken.objects.values_list("token_hash", flat=True))
    assert all(t not in stored for t in tokens)
    # Inviting again sends nothing new.
    again = services.survey_invite(survey=survey, acting_user=superadmin)
    assert again.invited == 0 and len(mail.outbox) == 3

    services.survey_answer(token=tokens[0], answers={1: 5, 2: 1})
    with pytest.raises(DomainError, match="already been used"):
        services.survey_answer(token=tokens[0], answers={1: 1})
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(DomainError, match="not valid"):
        services.survey_answer(token="made-up", answers={1: 1})
    with pytest.raises(DomainError):
        services.survey_answer(token=tokens[1], answers={1: 9})
    assert SurveyResponse.objects.count() == 1
    services.survey_close(survey=survey, acting_user=superadmin)
    with pytest.raises(DomainError, match="closed"):
        services.survey_answer(token=tokens[1], answers={1: 3})
    assert SurveyResponse.objects.count() == 1


def test_responses_cannot_be_tied_to_tokens(pemda_a, superadmin) -> None:
    """Inspect the response table as a database reader would: columns, keys, values, order."""
    _staff(pemda_a, superadmin, "Dinas Satu", 4, 1)
    survey = _open_survey(pemda_a, superadmin)
    services.survey_invite(survey=survey, acting_user=superadmin)
    tokens = _tokens_from_mail()
    with time_machine.travel(dt.datetime(2024, 8, 1, 9, 13, 27, tzinfo=dt.UTC), tick=False):
        for n, token in enumerate(tokens):
            services.survey_answer(token=token, answers={1: 1 + n % 5})

    # The columns: survey, OPD, day, answers, and a key. Nothing else.
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), SurveyResponse._meta.db_table
        )
    }
    assert columns == {"id", "survey_id", "unit_id", "submitted_on", "answers"}
    token_columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), SurveyToken._meta.db_table
        )
    }
    assert token_columns == {
        "id",
        "survey_id",
        "unit_id",
        "token_hash",
        "used",
    }  # no person, no time
    invitation_columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), SurveyInvitation._meta.db_table
        )
    }
    assert not invitation_columns & {"token_id", "token_hash", "token"}

    rows = list(
        SurveyResponse.objects.values("id", "survey_id", "unit_id", "submitted_on", "answers")
    )
    token_rows = list(SurveyToken.objects.values("id", "token_hash", "unit_id"))
    token_values = {str(t["id"]) for t in token_rows} | {t["token_hash"] for t in token_rows}
    for row in rows:
        # Random version-4 keys: they reveal no order and are not the token's key.
        assert isinstance(row["id"], uuid.UUID) and row["id"].version == 4
        assert str(row["id"]) not in token_values and row["id"].hex not in token_values
        assert row["submitted_on"] == dt.date(2024, 8, 1)  # the day only
        assert not any(v in row["answers"] for v in token_values)
    # The keys are not in insertion (answer) order.
    assert len({r["id"] for r in rows}) == 4

    # The audit log names the survey for each answer, never a token, a response or a person.
    received = AuditEvent.objects.filter(action="surveys.response.received")
    assert received.count() == 4
    for event in received:
        assert event.object_type == "surveys.survey" and event.object_id == str(survey.pk)
        assert event.actor_id is None and event.summary in ({}, None)
        text = str(event.summary) + event.object_id
        assert not any(v in text for v in token_values | {str(r["id"]) for r in rows})
    # Nothing in the whole audit log carries a token's or a response's key.
    everything = " ".join(f"{e.object_id} {e.summary}" for e in AuditEvent.objects.all())
    assert not any(v in everything for v in token_values | {str(r["id"]) for r in rows})
    # Invitations never name a token, and tokens never name a person.
    assert not any(
        str(value) in token_values
        for value in SurveyInvitation.objects.values_list("id", "official_id", "status")
        for value in value
    )


def test_tokens_are_not_stored_in_the_order_of_the_officials(pemda_a, superadmin) -> None:
    _staff(pemda_a, superadmin, "Dinas Satu", 30, 1)
    survey = _open_survey(pemda_a, superadmin)
    services.survey_invite(survey=survey, acting_user=superadmin)
    mailed = [services._hash(t) for t in _tokens_from_mail()]  # mail order = official order
    order = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token_hash FROM {SurveyToken._meta.db_table} ORDER BY {order}")  # noqa: S608
        stored = [r[0] for r in cursor.fetchall()]
    assert sorted(stored) == sorted(mailed)
    assert stored != mailed  # shuffled: 1 chance in 30! to fail


def test_public_answer_page_needs_no_login_and_stores_nothing_about_the_visitor(
    pemda_a, superadmin
) -> None:
    _staff(pemda_a, superadmin, "Dinas Satu", 1, 1)
    survey = _open_survey(pemda_a, superadmin)
    services.survey_invite(survey=survey, acting_user=superadmin)
    (token,) = _tokens_from_mail()
    url = reverse("surveypublic:answer", kwargs={"token": token})
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Secret-Browser/1.0")
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store" or "no-store" in page["Cache-Control"]
    assert "Paket" in page.content.decode() or "pengadaan" in page.content.decode()
    sent = client.post(url, {"q1": "4", "q2": "2", "q11": "5"})
    assert sent.status_code == 200 and "no-store" in sent["Cache-Control"]
    response = SurveyResponse.objects.get()
    assert response.answers == "42" + "0" * 8 + "5" + "000"
    # Neither the address nor the browser is anywhere in the database (every row of every table).
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump = repr(cursor.fetchall())
            assert "203.0.113.77" not in dump and "Secret-Browser" not in dump, table
    # The used link now says so.
    assert client.get(url).status_code == 410
    assert client.get(reverse("surveypublic:answer", kwargs={"token": "nope"})).status_code == 404


# --- Scores and the 10-respondent rule -------------------------------------------------------------


def _answer_all(tokens: list[str], answers: dict[int, int]) -> None:
    for token in tokens:
        services.survey_answer(token=token, answers=answers)


def test_results_per_unit_only_from_ten_respondents(pemda_a, superadmin) -> None:
    questions = [
        ("procurement", "Rencana pengadaan diumumkan.", False),
        ("hr_management", "Jabatan dibeli.", True),
    ]
    _big, big_staff = _staff(pemda_a, superadmin, "Dinas Besar", 10, 1)
    _small, small_staff = _staff(pemda_a, superadmin, "Dinas Kecil", 10, 20)
    survey = _open_survey(pemda_a, superadmin, questions)
    services.survey_invite(survey=survey, acting_user=superadmin, officials=big_staff)
    big_tokens = _tokens_from_mail()
    mail.outbox.clear()
    services.survey_invite(survey=survey, acting_user=superadmin, officials=small_staff)
    small_tokens = _tokens_from_mail()

    _answer_all(big_tokens[:9], {1: 5, 2: 1})
    report = selectors.survey_report(survey=survey)
    assert report.total is None and report.units == []  # 9 people: nothing shown at all

    _answer_all(big_tokens[9:], {1: 5, 2: 1})  # 10 in Dinas Besar
    report = selectors.survey_report(survey=survey)
    assert [u.label for u in report.units] == ["Dinas Besar"]
    assert report.units[0].index == pytest.approx(100.0)

    _answer_all(small_tokens[:1], {1: 1, 2: 5})  # 1 in Dinas Kecil: it would be the difference
    report = selectors.survey_report(survey=survey)
    assert report.total is not None and report.total.respondents == 11
    assert report.units == []  # the big unit is withheld too, so 1 answer cannot be derived
    assert report.withheld_respondents == 11

    _answer_all(small_tokens[1:9], {1: 1, 2: 5})  # 9 in Dinas Kecil: still withheld, and so
    report = selectors.survey_report(survey=survey)  # is Dinas Besar (total - big = small)
    assert report.units == [] and report.withheld_respondents == 19
    assert report.total.index == pytest.approx(100 * 10 / 19)
    client = client_for(superadmin)
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "Dinas Besar" not in html and "Dinas Kecil" not in html

    _answer_all(small_tokens[9:], {1: 1, 2: 5})  # 10 in Dinas Kecil: both shown
    report = selectors.survey_report(survey=survey)
    assert [u.label for u in report.units] == ["Dinas Kecil", "Dinas Besar"]  # weakest first
    assert [u.index for u in report.units] == [pytest.approx(0.0), pytest.approx(100.0)]
    assert report.withheld_respondents == 0
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "Dinas Besar" in html and "Dinas Kecil" in html


def test_index_category_per_unit_and_pemda(pemda_a, superadmin) -> None:
    questions = [
        ("procurement", "A", False),
        ("procurement", "B", True),
        ("transparency", "C", False),
    ]
    _staff(pemda_a, superadmin, "Dinas Satu", 10, 1)
    survey = _open_survey(pemda_a, superadmin, questions, year=2024)
    services.survey_invite(survey=survey, acting_user=superadmin)
    for n, token in enumerate(_tokens_from_mail()):
        # Scale 1..5: a=4 scores 75; B reverse-scored: a=2 scores 75; C answered by half only.
        services.survey_answer(token=token, answers={1: 4, 2: 2, **({3: 5} if n % 2 else {})})
    report = selectors.survey_report(survey=survey)
    assert report.total.dimensions == {
        "procurement": pytest.approx(75.0),
        "transparency": pytest.approx(100.0),
    }
    assert report.total.index == pytest.approx(87.5)
    assert report.total.category == Category.TERJAGA  # 2024: terjaga from 78


def test_scoring_matches_a_plain_python_computation() -> None:
    import random

    rng = random.Random(7)
    layout = Layout(scale=5, dimensions=("a", "a", "b", "c"), reverse=(False, True, False, True))
    surveys, units, answers = [], [], []
    for _ in range(500):
        surveys.append(rng.choice([1, 2]))
        units.append(rng.choice([-1, 10, 11, 12]))
        answers.append("".join(str(rng.randint(0, 5)) for _ in range(4)))
    result = score_responses(surveys, units, answers, {1: layout, 2: layout})

    def plain(rows: list[str]) -> float:
        dims: dict[str, list[float]] = {}
        for position, dim in enumerate(layout.dimensions):
            values = [int(r[position]) for r in rows if r[position] != "0"]
            if not values:
                continue
            mean = sum((v - 1) * 25 for v in values) / len(values)
            dims.setdefault(dim, []).append(100 - mean if layout.reverse[position] else mean)
        means = [sum(v) / len(v) for v in dims.values()]
        return sum(means) / len(means)

    for survey_id in (1, 2):
        rows = [a for s, a in zip(surveys, answers, strict=True) if s == survey_id]
        assert result[survey_id].total.index == pytest.approx(plain(rows))
        assert result[survey_id].total.respondents == len(rows)
        for unit in (-1, 10, 11, 12):  # -1: no unit
            unit_rows = [
                a
                for s, u, a in zip(surveys, units, answers, strict=True)
                if s == survey_id and u == unit
            ]
            key = None if unit == -1 else unit
            assert result[survey_id].units[key].index == pytest.approx(plain(unit_rows))


def test_sub_unit_answers_count_for_their_opd(pemda_a, superadmin) -> None:
    opd = org.unit_create(pemda=pemda_a, name="Dinas Induk", acting_user=superadmin)
    sub = org.unit_create(
        pemda=pemda_a,
        name="Bidang Anak",
        parent=opd,
        kind=Unit.Kind.SUB_UNIT,
        acting_user=superadmin,
    )
    position = org.position_create(
        pemda=pemda_a,
        unit=sub,
        title="Staf",
        level=Position.Level.PELAKSANA,
        acting_user=superadmin,
    )
    official = org.official_create(
        pemda=pemda_a,
        nip="198001012005011999",
        name="Staf",
        email="s@example.go.id",
        acting_user=superadmin,
    )
    org.assignment_start(
        official=official, position=position, start_date=dt.date(2024, 1, 2), acting_user=superadmin
    )
    survey = _open_survey(pemda_a, superadmin)
    services.survey_invite(survey=survey, acting_user=superadmin)
    (token,) = _tokens_from_mail()
    services.survey_answer(token=token, answers={1: 3})
    assert SurveyResponse.objects.get().unit_id == opd.pk


def test_survey_pages_through_the_client(pemda_a, role_users, superadmin) -> None:
    client = client_for(role_users["inspektorat"])
    base = {"pemda": pemda_a.slug}
    response = client.post(reverse("surveys:questionnaire_create", kwargs=base))
    questionnaire = Questionnaire.objects.get(pemda=pemda_a)
    assert response.status_code == 302
    edit = reverse("surveys:questionnaire_update", kwargs={**base, "pk": questionnaire.pk})
    assert "procurement:" in client.get(edit).content.decode()
    client.post(
        edit,
        {
            "title": "Survei",
            "scale": 5,
            "questions": "procurement: Paket diumumkan.\nhr_management: (-) Jabatan dibeli.",
        },
    )
    assert list(questionnaire.questions.values_list("reverse_scored", flat=True)) == [False, True]
    client.post(reverse("surveys:questionnaire_publish", kwargs={**base, "pk": questionnaire.pk}))
    questionnaire.refresh_from_db()
    assert questionnaire.is_published
    response = client.post(
        reverse("surveys:survey_create", kwargs=base),
        {"title": "Survei 2024", "year": 2024, "questionnaire": questionnaire.pk},
    )
    survey = Survey.objects.get(pemda=pemda_a)
    assert response.status_code == 302
    client.post(reverse("surveys:survey_open", kwargs={**base, "pk": survey.pk}))
    client.post(reverse("surveys:survey_invite", kwargs={**base, "pk": survey.pk}))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    page = client.get(survey.get_absolute_url())
    assert page.status_code == 200
    # A Kepala OPD may look but not run surveys.
    assert client_for(role_users["kepala_opd"]).get(survey.get_absolute_url()).status_code == 200
    assert (
        client_for(role_users["kepala_opd"])
        .post(reverse("surveys:survey_close", kwargs={**base, "pk": survey.pk}))
        .status_code
        == 403
    )


def test_api_lists_results_questionnaires_and_survey_scores(
    pemda_a, superadmin, role_users
) -> None:
    from decimal import Decimal

    services.spi_result_save(pemda=pemda_a, year=2024, acting_user=superadmin, index=Decimal("74"))
    survey = _open_survey(pemda_a, superadmin)
    client = client_for(role_users["pimpinan"])
    results = client.get(f"/api/v1/p/{pemda_a.slug}/spi-results/").json()
    first = results["results"][0] if "results" in results else results[0]
    assert first["year"] == 2024 and first["category"] == "waspada"
    assert first["national_index"] == "71.53"
    detail = client.get(f"/api/v1/p/{pemda_a.slug}/internal-surveys/{survey.pk}/").json()
    assert detail["scores"]["total"] is None  # nobody answered yet
    questionnaires = client.get(f"/api/v1/p/{pemda_a.slug}/questionnaires/").json()
    assert questionnaires
    denied = client.post(
        f"/api/v1/p/{pemda_a.slug}/spi-results/",
        {"year": 2023, "index": "70"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    created = client_for(role_users["inspektorat"]).post(
        f"/api/v1/p/{pemda_a.slug}/spi-results/",
        {"year": 2023, "index": "70.00"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["category"] == "rentan"
