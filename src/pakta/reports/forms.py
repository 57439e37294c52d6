"""Forms of the reporting channel (public intake and follow-up, and the handlers' case pages)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pakta.core.widgets import FastSelect
from pakta.core.widgets import MultipleFileInput as KeptFilesInput
from pakta.reports.attachments import Upload, accept_attribute, accepted_labels, max_file_bytes
from pakta.reports.models import Report, ReportMessage
from pakta.reports.services import TRANSITIONS

# A message longer than the field allows: say so, with the limit (not "write a message").
TEXT_TOO_LONG = _("The text is too long: at most 20,000 characters (this one has %(show_value)s).")


class MultipleFileInput(KeptFilesInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; returns a list of ``Upload`` (possibly empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": accept_attribute()})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Upload]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        uploads = []
        for upload in files:
            uploads.append(Upload(name=str(upload.name or "file"), data=upload.read()))
        return uploads


def _files_help() -> str:
    return str(
        _("Up to 10 files, each at most %(mb)d MB. Accepted: %(types)s.")
        % {"mb": max_file_bytes() // (1024 * 1024), "types": accepted_labels()}
    )


class ReportIntakeForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of violation is it?"),
        choices=Report.Category.choices,
        widget=forms.RadioSelect,
    )
    what = forms.CharField(
        label=_("What happened?"),
        help_text=_("Describe what happened and how (the modus), as precisely as you can."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
    )
    who = forms.CharField(
        label=_("Who was involved?"),
        help_text=_("Names, positions or NIP of the officials involved, if you know them."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        required=False,
    )
    when = forms.CharField(label=_("When did it happen?"), max_length=500, required=False)
    where = forms.CharField(label=_("Where did it happen?"), max_length=500, required=False)
    reported_unit = forms.ChoiceField(
        label=_("Which unit (OPD) is concerned?"),
        required=False,
        help_text=_("Handlers working in this unit will not receive your report."),
        widget=FastSelect,  # every unit of the Pemda: hundreds to thousands of options
    )
    evidence = MultipleFileField(label=_("Evidence (files)"))
    strip_metadata = forms.BooleanField(
        label=_("Remove hidden information (camera, location, author) from photos and PDFs"),
        help_text=_("The original files are kept too, encrypted, as evidence."),
        required=False,
        initial=True,
    )
    identity_mode = forms.ChoiceField(
        label=_("Do you want to give your name?"),
        choices=[
            (Report.IdentityMode.ANONYMOUS, _("No, I report anonymously")),
            (
                Report.IdentityMode.CONFIDENTIAL,
                _("Yes, confidentially: only the handlers can see my name"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=Report.IdentityMode.ANONYMOUS,
    )
    identity_name = forms.CharField(label=_("Your name"), max_length=300, required=False)
    identity_contact = forms.CharField(
        label=_("How to reach you (telephone or e-mail)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reported_unit"]).choices = [
            ("", _("I don't know / none"))
        ] + [(str(pk), name) for pk, name in (units or [])]
        self.fields["evidence"].help_text = _files_help()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("identity_mode") == Report.IdentityMode.CONFIDENTIAL
            and not (data.get("identity_name") or "").strip()
        ):
            self.add_error(
                "identity_name",
                _("Give your name to report confidentially, or choose to report anonymously."),
            )
        return data


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code (16 digits)"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class ReporterMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer or additional information"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        required=False,
        error_messages={"max_length": TEXT_TOO_LONG},
    )
    evidence = MultipleFileField(label=_("Files"))
    strip_metadata = forms.BooleanField(
        label=_("Remove hidden information (camera, location, author) from photos and PDFs"),
        required=False,
        initial=True,
    )


class IdentityDiscloseForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=300)
    contact = forms.CharField(
        label=_("How to reach you (telephone or e-mail)"), max_length=300, required=False
    )
    confirm = forms.BooleanField(
        label=_("I understand that once disclosed, my identity cannot be withdrawn."),
    )


# --- Handlers ---------------------------------------------------------------------------------------


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)


class RecoveryForm(forms.Form):
    recovery_code = forms.CharField(label=_("Recovery key"), max_length=80)
    password = forms.CharField(label=_("Your current password"), widget=forms.PasswordInput)


class EscrowRecoverForm(forms.Form):
    escrow_code = forms.CharField(label=_("Escrow key"), max_length=120)
    handler = forms.ChoiceField(label=_("Handler to restore access for"))

    def __init__(self, *args: Any, handlers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["handler"]).choices = [
            (str(u.pk), u.get_username()) for u in handlers or []
        ]


class TransitionForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            (stage, Report.Stage(stage).label) for stage in TRANSITIONS.get(report.stage, ())
        ]


class HandlerChoiceForm(forms.Form):
    handler = forms.ChoiceField(label=_("Handler"))

    def __init__(self, *args: Any, handlers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["handler"]).choices = [
            (str(u.pk), u.get_username()) for u in handlers
        ]


class HandlerMessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (ReportMessage.Kind.TO_REPORTER, _("Message to the reporter")),
            (ReportMessage.Kind.NOTE, _("Note for handlers only (hidden from the reporter)")),
        ],
        widget=forms.RadioSelect,
        initial=ReportMessage.Kind.TO_REPORTER,
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        required=False,
        error_messages={"max_length": TEXT_TOO_LONG},
    )
    evidence = MultipleFileField(label=_("Files"))


class LinkForm(forms.Form):
    official_nip = forms.CharField(
        label=_("NIP of the official concerned"), max_length=30, required=False
    )
    template = forms.ChoiceField(label=_("Pact template version"), required=False)
    clause = forms.IntegerField(label=_("Clause number broken"), required=False, min_value=1)

    def __init__(self, *args: Any, templates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [("", "—")] + [
            (str(t.pk), str(t)) for t in templates
        ]
