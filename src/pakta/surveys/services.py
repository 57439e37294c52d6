"""Writes of the surveys app: SPI results and their import, findings, survey years, the internal
questionnaire, surveys, invitations and anonymous answers. Every write records an audit event.

Anonymity of the internal survey (see docs/surveys.md): the token an employee receives is kept
only as a hash, on a row that names no person; the invitation that names the person names no
token; and an answer is stored on a row of its own with a random key, the OPD and the day, in
the transaction that flips the token's ``used`` flag. The audit event of an answer names the
survey only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pakta.audit.services import audit_record
from pakta.core.errors import DomainError
from pakta.notifications.services import mail_send
from pakta.org.models import Official, Pemda, Unit
from pakta.org.selectors import current_assignment
from pakta.surveys.defaults import DEFAULT_QUESTIONS
from pakta.surveys.models import (
    DIMENSION_FIELDS,
    GROUP_FIELDS,
    Dimension,
    Question,
    Questionnaire,
    SpiFinding,
    SpiResult,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyToken,
    SurveyYear,
)

logger = logging.getLogger(__name__)
EMAIL_LANGUAGE = "id"


def _clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None


# --- Survey years (superadmin) -----------------------------------------------------------------


@transaction.atomic
def survey_year_save(
    *, year: int, acting_user: Any, instance: SurveyYear | None = None, **fields: Any
) -> SurveyYear:
    """Create or change a survey year's thresholds and national index."""
    if not getattr(acting_user, "is_superuser", False):
        raise DomainError(_("Only the superadmin can change survey years."))
    survey_year = instance or SurveyYear.objects.filter(year=year).first() or SurveyYear(year=year)
    created = survey_year.pk is None
    survey_year.year = year
    for name, value in fields.items():
        setattr(survey_year, name, value)
    # The rule in words first: the model's constraint would only name itself.
    if (
        survey_year.terjaga_from is not None
        and survey_year.waspada_from is not None
        and (
            survey_year.terjaga_from <= survey_year.waspada_from
            or (
                survey_year.rentan_from is not None
                and survey_year.rentan_from >= survey_year.waspada_from
            )
        )
    ):
        raise DomainError(_("The thresholds must rise from rentan to waspada to terjaga."))
    _clean(survey_year)
    survey_year.save()
    audit_record(
        actor=acting_user,
        action="surveys.year.created" if created else "surveys.year.updated",
        obj=survey_year,
        summary={
            "year": year,
            "rentan_from": survey_year.rentan_from,
            "waspada_from": survey_year.waspada_from,
            "terjaga_from": survey_year.terjaga_from,
            "national_index": survey_year.national_index,
        },
    )
    return survey_year


# --- SPI results --------------------------------------------------------------------------------


def _year(year: int) -> SurveyYear:
    survey_year = SurveyYear.objects.filter(year=year).first()
    if survey_year is None:
        raise DomainError(
            _(
                "No thresholds are recorded for the survey year %(year)s. Ask the superadmin to add it."
            )
            % {"year": year}
        )
    return survey_year


RESULT_FIELDS = (
    "index",
    "correction_factor",
    "respondents",
    *DIMENSION_FIELDS.values(),
    *GROUP_FIELDS.values(),
)


def _result_summary(result: SpiResult) -> dict[str, Any]:
    return {"year": result.survey_year.year, "index": result.index}


@transaction.atomic
def spi_result_save(*, pemda: Pemda, year: int, acting_user: Any, **fields: Any) -> SpiResult:
    """Record the Pemda's SPI result of ``year``, or replace the one recorded."""
    survey_year = _year(year)
    unknown = set(fields) - set(RESULT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    result = SpiResult.objects.filter(pemda=pemda, survey_year=survey_year).first()
    created = result is None
    if result is None:
        result = SpiResult(pemda=pemda, survey_year=survey_year)
    for name, value in fields.items():
        setattr(result, name, value)
    if result.correction_factor is None:
        result.correction_factor = Decimal(0)
    _clean(result, exclude=["pemda", "survey_year"])
    result.save()
    audit_record(
        actor=acting_user,
        action="surveys.result.recorded" if created else "surveys.result.updated",
        obj=result,
        summary=_result_summary(result),
    )
    return result


@transaction.atomic
def spi_finding_add(
    *, result: SpiResult, text: str, acting_user: Any, dimension: str = ""
) -> SpiFinding:
    """Add one of KPK's recommendations to a year's result."""
    text = text.strip()
    if not text:
        raise DomainError(_("Write the recommendation."))
    if dimension and dimension not in Dimension.values:
        raise DomainError(_("Unknown dimension."))
    number = (
        SpiFinding.objects.filter(result=result)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    finding = SpiFinding.objects.create(
        pemda=result.pemda, result=result, number=number, dimension=dimension, text=text
    )
    audit_record(
        actor=acting_user,
        action="surveys.finding.added",
        obj=finding,
        summary={"year": result.survey_year.year, "number": number, "dimension": dimension},
    )
    return finding


# --- SPI import (CSV / XLSX) --------------------------------------------------------------------

IMPORT_HEADERS = [
    "TAHUN",
    "INDEKS",
    "FAKTOR KOREKSI",
    "RESPONDEN",
    "TRANSPARANSI",
    "PENGELOLAAN SDM",
    "PENGELOLAAN ANGGARAN",
    "INTEGRITAS DALAM PELAKSANAAN TUGAS",
    "TRADING IN INFLUENCE",
    "PENGELOLAAN PBJ",
    "SOSIALISASI ANTIKORUPSI",
    "INTERNAL",
    "EKSTERNAL",
    "EKSPER",
]
IMPORT_COLUMNS = [
    "year",
    "index",
    "correction_factor",
    "respondents",
    *DIMENSION_FIELDS.values(),
    *GROUP_FIELDS.values(),
]
IMPORT_EXAMPLE = [
    "2024",
    "71,53",
    "-1,20",
    "1200",
    "70,1",
    "65,4",
    "72,0",
    "80,5",
    "68,3",
    "62,7",
    "85,0",
    "74,2",
    "69,8",
    "70,5",
]
HEADER_ALIASES = {
    "YEAR": "TAHUN",
    "INDEX": "INDEKS",
    "CORRECTION FACTOR": "FAKTOR KOREKSI",
    "RESPONDENTS": "RESPONDEN",
    "EXTERNAL": "EKSTERNAL",
    "EXPERT": "EKSPER",
    "EXPERTS": "EKSPER",
}


@dataclass
class SpiImportOutcome:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


class SpiImportError(DomainError):
    """The file has bad rows; nothing was written. ``errors`` lists (line, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(
            _("%(count)d rows have errors; nothing was imported.") % {"count": len(errors)}
        )
        self.errors = errors


def _decimal(text: str) -> Decimal | None:
    # A leading apostrophe is how spreadsheets (and our exports) keep "-1,5" from being a formula.
    text = text.strip().replace(" ", "").removeprefix("'")
    if not text:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "")  # 1.234,56
    text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


def spi_import(
    *, pemda: Pemda, file_name: str, content: bytes, acting_user: Any
) -> SpiImportOutcome:
    """Import SPI results, one row per year; any bad row refuses the whole file.

    Raises ``SpiImportError`` (with each bad row's line) or ``DomainError`` for a bad file.
    """
    from pakta.org.imports import read_rows

    if not content.strip():
        raise DomainError(_("The file is empty."))
    rows = read_rows(file_name, content)
    headers = [h.strip().upper() for h in next(rows, []) or []]
    headers = [HEADER_ALIASES.get(h, h) for h in headers]
    missing = [h for h in IMPORT_HEADERS[:2] if h not in headers]
    if missing:
        raise DomainError(
            _("The header row lacks the columns: %(names)s. Download the template.")
            % {"names": ", ".join(missing)}
        )
    position = {h: headers.index(h) for h in IMPORT_HEADERS if h in headers}
    years = {y.year: y for y in SurveyYear.objects.all()}
    errors: list[tuple[int, str]] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[int, int] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values: dict[str, Any] = {}
        problems: list[str] = []
        for header, column in zip(IMPORT_HEADERS, IMPORT_COLUMNS, strict=True):
            if header not in position:
                continue
            index = position[header]
            text = row[index].strip() if index < len(row) else ""
            try:
                number = _decimal(text)
            except ValueError:
                problems.append(
                    _("%(column)s is not a number: %(value)s.") % {"column": header, "value": text}
                )
                continue
            if column == "year":
                if number is None or number != number.to_integral_value():
                    problems.append(_("TAHUN must be a year such as 2024."))
                    continue
                values["year"] = int(number)
            elif column == "respondents":
                values[column] = None if number is None else int(number)
            elif column == "correction_factor":
                values[column] = number or Decimal(0)
            else:
                if number is not None and not Decimal(0) <= number <= Decimal(100):
                    problems.append(_("%(column)s must be between 0 and 100.") % {"column": header})
                    continue
                values[column] = number
        year = values.get("year")
        if year is not None:
            if year not in years:
                problems.append(
                    _("No thresholds are recorded for the survey year %(year)s.") % {"year": year}
                )
            elif year in seen:
                problems.append(
                    _("The year %(year)s is already on line %(line)d.")
                    % {"year": year, "line": seen[year]}
                )
            else:
                seen[year] = line
        if "year" in values and values.get("index") is None and not problems:
            problems.append(_("INDEKS is required."))
        if problems:
            errors.append((line, " ".join(problems)))
        else:
            parsed.append((line, values))
    if errors:
        raise SpiImportError(errors)
    if not parsed:
        raise DomainError(_("The file has a header row but no data rows."))
    outcome = SpiImportOutcome()
    with transaction.atomic():
        existing = set(
            SpiResult.objects.filter(pemda=pemda).values_list("survey_year__year", flat=True)
        )
        for _line, values in parsed:
            year = values.pop("year")
            spi_result_save(pemda=pemda, year=year, acting_user=acting_user, **values)
            if year in existing:
                outcome.updated += 1
            else:
                outcome.created += 1
        audit_record(
            actor=acting_user,
            action="surveys.result.imported",
            obj=pemda,
            summary={
                "file": file_name[:100],
                "created": outcome.created,
                "updated": outcome.updated,
            },
        )
    return outcome


# --- Questionnaires -----------------------------------------------------------------------------


QuestionSpec = tuple[str, str, bool]


def _set_questions(questionnaire: Questionnaire, questions: Sequence[QuestionSpec]) -> None:
    if not questions:
        raise DomainError(_("A questionnaire needs at least one statement."))
    if len(questions) > 200:
        raise DomainError(_("A questionnaire can hold at most 200 statements."))
    for dimension, text, _reverse in questions:
        if dimension not in Dimension.values:
            raise DomainError(_("Unknown dimension."))
        if not text.strip():
            raise DomainError(_("A statement is empty."))
    questionnaire.questions.all().delete()
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            position=n,
            dimension=dimension,
            text=text.strip(),
            reverse_scored=reverse,
        )
        for n, (dimension, text, reverse) in enumerate(questions, start=1)
    )


@transaction.atomic
def questionnaire_create(
    *,
    pemda: Pemda,
    acting_user: Any,
    title: str = "Survei Integritas Internal",
    scale: int = 5,
    questions: Sequence[QuestionSpec] | None = None,
) -> Questionnaire:
    """A new draft version; the default statements unless others are given."""
    version = (
        Questionnaire.objects.filter(pemda=pemda)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    questionnaire = Questionnaire(pemda=pemda, version=version, title=title, scale=scale)
    _clean(questionnaire, exclude=["pemda"])
    questionnaire.save()
    _set_questions(questionnaire, questions or DEFAULT_QUESTIONS)
    audit_record(
        actor=acting_user,
        action="surveys.questionnaire.created",
        obj=questionnaire,
        summary={"version": version},
    )
    return questionnaire


def _refuse_published(questionnaire: Questionnaire) -> None:
    if questionnaire.is_published:
        raise DomainError(
            _("This version is published and cannot be changed. Create a new version.")
        )


@transaction.atomic
def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    acting_user: Any,
    title: str,
    scale: int,
    questions: Sequence[QuestionSpec],
) -> Questionnaire:
    """Change a draft version's title, scale and statements."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _refuse_published(questionnaire)
    questionnaire.title, questionnaire.scale = title, scale
    _clean(questionnaire, exclude=["pemda"])
    questionnaire.save(update_fields=["title", "scale", "updated_at"])
    _set_questions(questionnaire, questions)
    audit_record(
        actor=acting_user,
        action="surveys.questionnaire.updated",
        obj=questionnaire,
        summary={"version": questionnaire.version, "questions": len(questions)},
    )
    return questionnaire


@transaction.atomic
def questionnaire_publish(*, questionnaire: Questionnaire, acting_user: Any) -> Questionnaire:
    """Freeze a draft version so that surveys can use it."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _refuse_published(questionnaire)
    questionnaire.status = Questionnaire.Status.PUBLISHED
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="surveys.questionnaire.published",
        obj=questionnaire,
        summary={"version": questionnaire.version},
    )
    return questionnaire


def questionnaire_new_version(*, questionnaire: Questionnaire, acting_user: Any) -> Questionnaire:
    """A draft copy of a version, to edit."""
    return questionnaire_create(
        pemda=questionnaire.pemda,
        acting_user=acting_user,
        title=questionnaire.title,
        scale=questionnaire.scale,
        questions=[(q.dimension, q.text, q.reverse_scored) for q in questionnaire.questions.all()],
    )


# --- Surveys ------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    pemda: Pemda,
    questionnaire: Questionnaire,
    title: str,
    year: int,
    acting_user: Any,
    closes_on: dt.date | None = None,
) -> Survey:
    """A draft survey on a published questionnaire version."""
    if questionnaire.pemda_id != pemda.pk:
        raise DomainError(_("The questionnaire belongs to another Pemda."))
    if not questionnaire.is_published:
        raise DomainError(_("Publish the questionnaire before using it in a survey."))
    survey = Survey(
        pemda=pemda, questionnaire=questionnaire, title=title, year=year, closes_on=closes_on
    )
    _clean(survey, exclude=["pemda", "questionnaire"])
    survey.save()
    audit_record(
        actor=acting_user,
        action="surveys.survey.created",
        obj=survey,
        summary={"year": year, "questionnaire_version": questionnaire.version},
    )
    return survey


def _transition(survey: Survey, source: str, target: str, action: str, acting_user: Any) -> Survey:
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != source:
            raise DomainError(
                _("The survey is %(status)s; this step is not possible now.")
                % {"status": locked.get_status_display()}
            )
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=acting_user, action=action, obj=locked)
    survey.status = target
    return locked


def survey_open(*, survey: Survey, acting_user: Any) -> Survey:
    """Start accepting answers."""
    return _transition(
        survey, Survey.Status.DRAFT, Survey.Status.OPEN, "surveys.survey.opened", acting_user
    )


def survey_close(*, survey: Survey, acting_user: Any) -> Survey:
    """Stop accepting answers; unused tokens stop working."""
    return _transition(
        survey, Survey.Status.OPEN, Survey.Status.CLOSED, "surveys.survey.closed", acting_user
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def top_unit_id(unit: Unit | None) -> int | None:
    """The OPD of a unit: results are grouped by OPD only, never by sub-unit."""
    if unit is None:
        return None
    return int(unit.path.strip("/").split("/")[0]) if unit.path else unit.pk


@dataclass
class InvitationRun:
    invited: int = 0
    emailed: int = 0
    no_email: int = 0
    failed: int = 0
    already: int = 0


def _invitees(
    survey: Survey, officials: Iterable[Official] | None
) -> list[tuple[Official, int | None, str]]:
    """(official, OPD id, e-mail) of current officials not invited yet."""
    from pakta.accounts.models import User

    queryset = Official.objects.filter(pemda=survey.pemda, assignments__end_date__isnull=True)
    if officials is not None:
        queryset = queryset.filter(pk__in=[o.pk for o in officials])
    queryset = queryset.exclude(pk__in=survey.invitations.values("official_id")).distinct()
    user_emails = dict(
        User.objects.filter(official__in=queryset)
        .exclude(email="")
        .values_list("official_id", "email")
    )
    result = []
    for official in queryset.order_by("pk"):
        assignment = current_assignment(official)
        unit = assignment.position.unit if assignment else None
        email = official.email or user_emails.get(official.pk, "")
        result.append((official, top_unit_id(unit), email))
    return result


def survey_invite(
    *, survey: Survey, acting_user: Any, officials: Iterable[Official] | None = None
) -> InvitationRun:
    """Send each current official (or those given) one single-use token by e-mail.

    The token itself is never stored: it exists in this process only, between its creation and
    its e-mail. Tokens and invitations are written shuffled, in one statement each, with random
    keys, so that no order or key ties a token to its invitation. A token whose e-mail could not
    be sent is deleted at once, and the invitation marked, so that it can be sent again.
    """
    if survey.status != Survey.Status.OPEN:
        raise DomainError(_("Open the survey before sending invitations."))
    invitees = _invitees(survey, officials)
    run = InvitationRun()
    outgoing: list[tuple[SurveyInvitation, str, str]] = []  # invitation, e-mail, token
    with transaction.atomic():
        invitations, tokens = [], []
        for official, unit_id, email in invitees:
            status = SurveyInvitation.Status.SENT if email else SurveyInvitation.Status.NO_EMAIL
            invitation = SurveyInvitation(
                pemda=survey.pemda, survey=survey, official=official, status=status
            )
            invitations.append(invitation)
            if email:
                token = secrets.token_urlsafe(24)
                tokens.append(SurveyToken(survey=survey, unit_id=unit_id, token_hash=_hash(token)))
                outgoing.append((invitation, email, token))
            else:
                run.no_email += 1
        shuffled = list(tokens)
        random.SystemRandom().shuffle(shuffled)
        SurveyToken.objects.bulk_create(shuffled, batch_size=2000)
        SurveyInvitation.objects.bulk_create(invitations, batch_size=2000)
        run.invited = len(invitations)
        audit_record(
            actor=acting_user,
            action="surveys.survey.invited",
            obj=survey,
            summary={"invited": run.invited, "no_email": run.no_email},
        )
    failed = _send_tokens(survey, outgoing)
    if failed:
        with transaction.atomic():
            SurveyToken.objects.filter(token_hash__in=[_hash(t) for _i, _e, t in failed]).delete()
            SurveyInvitation.objects.filter(pk__in=[i.pk for i, _e, _t in failed]).delete()
    run.failed = len(failed)
    run.emailed = len(outgoing) - run.failed
    return run


def answer_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surveypublic:answer", kwargs={"token": token})


def _send_tokens(
    survey: Survey, outgoing: Sequence[tuple[SurveyInvitation, str, str]]
) -> list[tuple[SurveyInvitation, str, str]]:
    failed: list[tuple[SurveyInvitation, str, str]] = []
    if not outgoing:
        return failed
    with translation.override(EMAIL_LANGUAGE):
        subject = _("Integrity survey: %(title)s") % {"title": survey.title}
        outbox = [
            (
                subject,
                render_to_string(
                    "surveys/email/invitation.txt",
                    {"survey": survey, "pemda": survey.pemda, "url": answer_url(token)},
                ),
                email,
            )
            for _invitation, email, token in outgoing
        ]
    # A refused message: its token is withdrawn and the invitation retried by a resend.
    failed = [outgoing[index] for index in mail_send(outbox)]
    return failed


# --- Answering (public, anonymous) --------------------------------------------------------------


def survey_for_token(token: str) -> tuple[Survey, bool] | None:
    """The survey a token opens and whether the token is still usable; None if unknown."""
    row = (
        SurveyToken.objects.filter(token_hash=_hash(token))
        .select_related("survey__pemda", "survey__questionnaire")
        .first()
    )
    if row is None:
        return None
    return row.survey, (not row.used and row.survey.status == Survey.Status.OPEN)


def survey_answer(*, token: str, answers: Mapping[int, int]) -> None:
    """Store one set of answers and spend the token; the two rows share nothing.

    ``answers`` maps question position -> answer (1..scale); a missing position is left
    unanswered. Raises DomainError for an unknown, used or closed token, or a bad answer.
    """
    with transaction.atomic():
        row = (
            SurveyToken.objects.select_for_update()
            .filter(token_hash=_hash(token))
            .select_related("survey__questionnaire")
            .first()
        )
        if row is None:
            raise DomainError(_("This survey link is not valid."))
        if row.used:
            raise DomainError(_("This survey link has already been used. Thank you for answering."))
        survey = row.survey
        if survey.status != Survey.Status.OPEN or (
            survey.closes_on and timezone.localdate() > survey.closes_on
        ):
            raise DomainError(_("This survey is closed."))
        scale = survey.questionnaire.scale
        positions = list(
            survey.questionnaire.questions.order_by("position").values_list("position", flat=True)
        )
        digits = []
        for position in positions:
            value = answers.get(position)
            if value is None:
                digits.append("0")
            elif isinstance(value, int) and 1 <= value <= scale:
                digits.append(str(value))
            else:
                raise DomainError(
                    _("Each answer must be between 1 and %(scale)d.") % {"scale": scale}
                )
        if set(answers) - set(positions):
            raise DomainError(_("The answers do not match the questionnaire."))
        if not any(d != "0" for d in digits):
            raise DomainError(_("Answer at least one statement."))
        updated = SurveyToken.objects.filter(pk=row.pk, used=False).update(used=True)
        if updated != 1:
            raise DomainError(_("This survey link has already been used. Thank you for answering."))
        SurveyResponse.objects.create(
            survey=survey,
            unit_id=row.unit_id,
            submitted_on=timezone.localdate(),
            answers="".join(digits),
        )
        # The event names the survey only: no token, no response, no unit.
        audit_record(actor=None, action="surveys.response.received", obj=survey)


# --- Scores -------------------------------------------------------------------------------------


def survey_scores_compute(*, surveys: Sequence[Survey]) -> dict[int, Any]:
    """The index per OPD and for the Pemda of each survey (``scoring.SurveyScores`` by id)."""
    from pakta.surveys.scoring import Layout, score_responses
    from pakta.surveys.selectors import response_columns

    if not surveys:
        return {}
    questions: dict[int, list[tuple[str, bool]]] = {}
    for questionnaire_id, dimension, reverse_scored in (
        Question.objects.filter(questionnaire_id__in={s.questionnaire_id for s in surveys})
        .order_by("questionnaire_id", "position")
        .values_list("questionnaire_id", "dimension", "reverse_scored")
    ):
        questions.setdefault(questionnaire_id, []).append((dimension, reverse_scored))
    scales = dict(
        Questionnaire.objects.filter(pk__in={s.questionnaire_id for s in surveys}).values_list(
            "pk", "scale"
        )
    )
    layouts = {}
    for survey in surveys:
        items = questions.get(survey.questionnaire_id, [])
        layouts[survey.pk] = Layout(
            scale=scales[survey.questionnaire_id],
            dimensions=tuple(d for d, _r in items),
            reverse=tuple(r for _d, r in items),
        )
    survey_ids, unit_ids, answers = response_columns(survey_ids=list(layouts))
    return score_responses(survey_ids, unit_ids, answers, layouts)
