"""Writes of action plans: plans from a source, items (by hand or from the library), progress
with evidence, verification by the inspektorat, reminders and escalation, the signed report.

An item is done only when the inspektorat accepts it: ``action_item_verify`` is the one edge
into ``done``. Each service checks the current status and raises DomainError otherwise, before
writing anything.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pakta.accounts.credentials import Reauthentication
from pakta.actionplans.models import ActionItem, ActionPlan, ActionProgress, RecommendedAction
from pakta.actionplans.permissions import can_report_progress
from pakta.audit.services import PendingEvent, audit_record, audit_record_many
from pakta.core.errors import DomainError, PermissionDeniedError
from pakta.core.permissions import has_permission
from pakta.core.uploads import uploads_store
from pakta.notifications.services import mail_send
from pakta.org.models import Official, Pemda, Unit
from pakta.surveys.models import Dimension, SpiFinding, Survey

logger = logging.getLogger(__name__)
MESSAGE_LANGUAGE = "id"
# Items due within this many days are reminded once a day.
REMINDER_DAYS = int(getattr(settings, "PAKTA_ACTION_REMINDER_DAYS", 7))
# Evidence of progress, checked by ``core.uploads`` (limit: the kind "action_evidence").
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "xlsx", "docx", "csv")


def _clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None


# --- Plans and items ----------------------------------------------------------------------------


@transaction.atomic
def action_plan_create(
    *,
    pemda: Pemda,
    acting_user: Any,
    title: str,
    source: str,
    letter_number: str = "",
    letter_date: dt.date | None = None,
    finding: SpiFinding | None = None,
    survey: Survey | None = None,
    description: str = "",
) -> ActionPlan:
    """A plan answering a KPK letter (number and date), an SPI finding or an internal survey."""
    if source == ActionPlan.Source.KPK_LETTER and not (letter_number.strip() and letter_date):
        raise DomainError(_("A plan from a KPK letter needs the letter's number and date."))
    if source == ActionPlan.Source.SPI_FINDING and finding is None:
        raise DomainError(_("Choose the SPI finding this plan answers."))
    if source == ActionPlan.Source.INTERNAL_SURVEY and survey is None:
        raise DomainError(_("Choose the internal survey this plan answers."))
    for linked in (finding, survey):
        if linked is not None and linked.pemda_id != pemda.pk:
            raise DomainError(_("The source belongs to another Pemda."))
    plan = ActionPlan(
        pemda=pemda,
        title=title.strip(),
        source=source,
        letter_number=letter_number.strip() if source == ActionPlan.Source.KPK_LETTER else "",
        letter_date=letter_date if source == ActionPlan.Source.KPK_LETTER else None,
        finding=finding if source == ActionPlan.Source.SPI_FINDING else None,
        survey=survey if source == ActionPlan.Source.INTERNAL_SURVEY else None,
        description=description,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    _clean(plan, exclude=["pemda", "created_by", "report", "finding", "survey"])
    plan.save()
    audit_record(
        actor=acting_user,
        action="actionplans.plan.created",
        obj=plan,
        summary={"source": source, "letter_number": plan.letter_number},
    )
    return plan


def _check_owner(plan: ActionPlan, owner_unit: Unit, owner: Official | None) -> None:
    if owner_unit.pemda_id != plan.pemda_id or (owner and owner.pemda_id != plan.pemda_id):
        raise DomainError(_("The owner must belong to the plan's Pemda."))


def _new_item(
    plan: ActionPlan,
    *,
    title: str,
    owner_unit: Unit,
    due_date: dt.date,
    required_output: str,
    owner: Official | None = None,
    dimension: str = "",
    finding: SpiFinding | None = None,
    recommendation: str = "",
) -> ActionItem:
    _check_owner(plan, owner_unit, owner)
    if dimension and dimension not in Dimension.values:
        raise DomainError(_("Unknown dimension."))
    if finding is not None and finding.pemda_id != plan.pemda_id:
        raise DomainError(_("The source belongs to another Pemda."))
    if finding is None and plan.finding_id:
        finding = plan.finding
    item = ActionItem(
        pemda=plan.pemda,
        plan=plan,
        title=title.strip(),
        owner_unit=owner_unit,
        owner=owner,
        due_date=due_date,
        required_output=required_output.strip(),
        dimension=dimension or (finding.dimension if finding else ""),
        finding=finding,
        recommendation=recommendation or (finding.text if finding else ""),
    )
    _clean(item, exclude=["pemda", "plan", "verified_by", "owner", "finding", "owner_unit"])
    return item


@transaction.atomic
def action_item_add(*, plan: ActionPlan, acting_user: Any, **fields: Any) -> ActionItem:
    """Add one action item to a plan."""
    item = _new_item(plan, **fields)
    item.save()
    audit_record(
        actor=acting_user,
        action="actionplans.item.added",
        obj=item,
        summary={
            "plan_id": plan.pk,
            "due_date": item.due_date,
            "owner_unit_id": item.owner_unit_id,
        },
    )
    return item


@transaction.atomic
def action_plan_draft_from_library(
    *,
    plan: ActionPlan,
    actions: Sequence[RecommendedAction],
    owner_unit: Unit,
    due_date: dt.date,
    acting_user: Any,
    owner: Official | None = None,
) -> list[ActionItem]:
    """Add one item per chosen library action, all owned by one unit and due on one date."""
    if not actions:
        raise DomainError(_("Choose at least one recommended action."))
    items = [
        _new_item(
            plan,
            title=action.title,
            owner_unit=owner_unit,
            owner=owner,
            due_date=due_date,
            required_output=action.required_output,
            dimension=action.dimension,
        )
        for action in actions
    ]
    for item in items:
        item.save()
    audit_record_many(
        actor=acting_user,
        events=[
            PendingEvent(
                action="actionplans.item.added",
                obj=item,
                summary={"plan_id": plan.pk, "due_date": item.due_date, "from_library": True},
            )
            for item in items
        ],
    )
    return items


# --- Progress and verification ------------------------------------------------------------------


@dataclass
class EvidenceFile:
    name: str
    content: bytes
    content_type: str = ""


def _store_evidence(files: Iterable[EvidenceFile]) -> list[Any]:
    return uploads_store(
        files,
        kind="action_evidence",
        accepted=EVIDENCE_EXTENSIONS,
        refused_type=_("%(name)s: only PDF, images, Excel, Word and CSV files can be attached."),
    )


def action_progress_post(
    *,
    item: ActionItem,
    acting_user: Any,
    note: str,
    files: Sequence[EvidenceFile] = (),
    submit: bool = False,
) -> ActionProgress:
    """The owner reports progress, with evidence files; ``submit`` asks for verification.

    Refused for a done item, for an item already awaiting verification, and for a submission
    without any evidence on the item.
    """
    if not can_report_progress(acting_user, item):
        raise PermissionDeniedError(_("Only the owner of this action can report its progress."))
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        if locked.status == ActionItem.Status.DONE:
            raise DomainError(_("This action is verified and done; it cannot change."))
        if locked.status == ActionItem.Status.SUBMITTED:
            raise DomainError(_("This action is awaiting verification."))
        if not note.strip() and not files:
            raise DomainError(_("Describe the progress or attach evidence."))
        documents = _store_evidence(files)
        if submit and not documents and not locked.progress.filter(evidence__isnull=False).exists():
            raise DomainError(
                _("Attach the evidence (%(output)s) before asking for verification.")
                % {"output": locked.required_output}
            )
        kind = ActionProgress.Kind.SUBMITTED if submit else ActionProgress.Kind.PROGRESS
        progress = ActionProgress.objects.create(
            pemda=locked.pemda, item=locked, kind=kind, note=note.strip(), author=acting_user
        )
        if documents:
            progress.evidence.set(documents)
        if submit:
            locked.status = ActionItem.Status.SUBMITTED
            locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=acting_user,
            action="actionplans.item.submitted" if submit else "actionplans.item.progress",
            obj=locked,
            summary={"progress_id": progress.pk, "files": [d.sha256 for d in documents]},
        )
    item.status = locked.status
    return progress


def action_item_verify(
    *, item: ActionItem, acting_user: Any, accepted: bool, reason: str = ""
) -> ActionItem:
    """The inspektorat accepts a submitted item (then it is done) or returns it with a reason."""
    if not has_permission(acting_user, item.pemda, "actionplans.verify"):
        raise PermissionDeniedError(_("Only the inspektorat can verify action items."))
    if not accepted and not reason.strip():
        raise DomainError(_("Give the reason for returning the action."))
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != ActionItem.Status.SUBMITTED:
            raise DomainError(
                _("Only an action awaiting verification can be verified; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        now = timezone.now()
        if accepted:
            locked.status = ActionItem.Status.DONE
            locked.verified_by, locked.verified_at = acting_user, now
            locked.return_reason = ""
        else:
            locked.status = ActionItem.Status.RETURNED
            locked.return_reason = reason.strip()
        locked.save(
            update_fields=["status", "verified_by", "verified_at", "return_reason", "updated_at"]
        )
        ActionProgress.objects.create(
            pemda=locked.pemda,
            item=locked,
            kind=ActionProgress.Kind.ACCEPTED if accepted else ActionProgress.Kind.RETURNED,
            note=reason.strip(),
            author=acting_user,
        )
        audit_record(
            actor=acting_user,
            action="actionplans.item.accepted" if accepted else "actionplans.item.returned",
            obj=locked,
        )
    return locked


# --- Reminders and escalation -------------------------------------------------------------------


@dataclass
class ReminderRun:
    reminded: int = 0
    escalated: int = 0
    notified: int = 0
    emailed: int = 0
    email_failed: int = 0
    no_recipient: int = 0
    item_ids: list[int] = field(default_factory=list)


def _notify(user: Any, pemda: Pemda, message: str, url: str) -> bool:
    try:
        from pakta.notifications.services import notify
    except ImportError:  # the notifications app is optional
        return False
    notify(user=user, pemda=pemda, message=message, url=url)
    return True


def _recipient(official: Official | None) -> tuple[Any, str]:
    """(active user or None, e-mail address or "") of an official."""
    if official is None:
        return None, ""
    user = getattr(official, "user", None)
    if user is not None and not user.is_active:
        user = None
    return user, (user.email if user is not None and user.email else official.email)


def action_reminders_run(*, today: dt.date | None = None, acting_user: Any = None) -> ReminderRun:
    """Remind owners of items due within ``REMINDER_DAYS``, once a day, and escalate late items
    once to the owner's direct superior (in the app and by e-mail). One audit event per Pemda.
    """
    from pakta.org.selectors import current_position, direct_superior
    from pakta.pacts.rendering import tanggal_id

    today = today or timezone.localdate()
    run = ReminderRun()
    outbox: list[tuple[str, str, str]] = []
    open_statuses = [ActionItem.Status.OPEN, ActionItem.Status.RETURNED]
    per_pemda: dict[int, dict[str, list[int]]] = {}
    with transaction.atomic(), translation.override(MESSAGE_LANGUAGE):
        due_soon = list(
            ActionItem.objects.select_for_update(of=("self",))
            .filter(status__in=open_statuses, due_date__gte=today)
            .filter(due_date__lte=today + dt.timedelta(days=REMINDER_DAYS))
            .exclude(last_reminded_on=today)
            .select_related("pemda", "owner__user", "plan", "owner_unit")
        )
        late = list(
            ActionItem.objects.select_for_update(of=("self",))
            .filter(due_date__lt=today, escalated_on__isnull=True)
            .exclude(status=ActionItem.Status.DONE)
            .select_related("pemda", "owner__user", "plan", "owner_unit")
        )
        for item, escalate in [*((i, False) for i in due_soon), *((i, True) for i in late)]:
            context = {
                "item": item,
                "plan": item.plan,
                "pemda": item.pemda,
                "due_text": tanggal_id(item.due_date),
                "url": settings.SITE_URL.rstrip("/") + item.get_absolute_url(),
                "days": (item.due_date - today).days,
            }
            recipients = [item.owner]
            if escalate:
                superior = (
                    direct_superior(item.owner, current_position(item.owner))
                    if item.owner is not None
                    else None
                )
                recipients.append(superior)
                context["superior"] = superior
                template = "actionplans/email/escalation"
            else:
                template = "actionplans/email/reminder"
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}_body.txt", context)
            reached = False
            for official in recipients:
                user, address = _recipient(official)
                if user is not None and _notify(user, item.pemda, subject, item.get_absolute_url()):
                    run.notified += 1
                    reached = True
                if address:
                    outbox.append((subject, body, address))
                    reached = True
            if not reached:
                run.no_recipient += 1
            bucket = per_pemda.setdefault(item.pemda_id, {"reminded": [], "escalated": []})
            if escalate:
                item.escalated_on = today
                item.save(update_fields=["escalated_on"])
                run.escalated += 1
                bucket["escalated"].append(item.pk)
            else:
                item.last_reminded_on = today
                item.save(update_fields=["last_reminded_on"])
                run.reminded += 1
                bucket["reminded"].append(item.pk)
            run.item_ids.append(item.pk)
        for pemda_id, bucket in per_pemda.items():
            audit_record(
                actor=acting_user,
                action="actionplans.reminders.sent",
                pemda_id=pemda_id,
                summary={
                    "date": today,
                    "reminded": bucket["reminded"][:1000],
                    "escalated": bucket["escalated"][:1000],
                },
            )
    run.email_failed = len(mail_send(outbox))
    run.emailed = len(outbox) - run.email_failed
    return run


# --- The report to KPK --------------------------------------------------------------------------


def action_plan_report_sign(
    *, plan: ActionPlan, acting_user: Any, credential: str | Reauthentication
) -> Any:
    """Render the plan's follow-up report, and sign it as the acting official (re-authenticated).

    Returns the signed document (or a pending signature when the timestamp authority fails).
    """
    from pakta.actionplans.reports import render_plan_report
    from pakta.signing.services import report_sign_as_user

    if not has_permission(acting_user, plan.pemda, "actionplans.manage"):
        raise PermissionDeniedError(_("You may not sign this report."))

    def on_signed(document: Any) -> None:
        plan.report = document
        plan.save(update_fields=["report", "updated_at"])
        audit_record(
            actor=acting_user,
            action="actionplans.report.signed",
            obj=plan,
            summary={"document_id": document.pk},
        )

    return report_sign_as_user(
        pemda=plan.pemda,
        acting_user=acting_user,
        credential=credential,
        title=_("Action plan report: %(title)s") % {"title": plan.title},
        render=lambda doc, signer: render_plan_report(plan, doc, signer=signer),
        on_signed=on_signed,
    )
