"""Searchable pickers for officials, units and positions (docs/frontend.md).

A form never lists every official of a Pemda (60,000 at the largest): a ``PickerField`` renders
one text input carrying the chosen id and its label. ``static/pakta/ui.js`` turns it into a Tom
Select box that asks the scoped search endpoint (``/p/<pemda>/pick/<kind>/?q=``, at most one page
of matches by name or NIP) as the user types. Without JavaScript the input still works: type the
NIP (officials) or the id shown on the unit or position page. A refused value comes back with
the form, as typed, with the error next to the field.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from pakta.core.mixins import PemdaPermissionMixin
from pakta.core.permissions import has_permission
from pakta.org import selectors
from pakta.org.models import Official, Pemda, Position, Unit

PAGE = 20
KINDS: dict[str, type[Model]] = {"officials": Official, "units": Unit, "positions": Position}


def option(obj: Model, *, show_nip: bool = True) -> dict[str, Any]:
    """One match as the picker shows it: the id, a label and a detail line. An official's NIP
    (which encodes the birth date and sex) only for those who may see it (need-to-know,
    docs/permissions.md); the others tell namesakes apart by the position."""
    if isinstance(obj, Official):
        if show_nip:
            return {"id": obj.pk, "label": f"{obj.full_name} ({obj.nip})", "detail": ""}
        return {"id": obj.pk, "label": obj.full_name, "detail": ""}
    if isinstance(obj, Position):
        return {"id": obj.pk, "label": obj.title, "detail": obj.unit.name}
    return {"id": obj.pk, "label": str(obj), "detail": ""}


def search(*, kind: str, pemda: Pemda, query: str, scope: list[Unit] | None = None) -> list[Model]:
    """At most ``PAGE`` matches by name (or NIP for officials), within the user's unit scope."""
    query = query.strip()
    qs: QuerySet[Any]
    if kind == "officials":
        digits = re.sub(r"\s", "", query)
        qs = selectors.official_list_for(
            pemda=pemda, scope=scope, search=digits if digits.isdigit() else query
        )
    elif kind == "units":
        qs = selectors.unit_list_for(pemda=pemda, scope=scope, search=query).filter(is_active=True)
    else:
        qs = selectors.position_list_for(pemda=pemda, scope=scope)
        if query:
            qs = qs.filter(title__icontains=query)
    return list(qs[:PAGE])


class PickerSearchView(PemdaPermissionMixin, View):
    """``?q=`` → ``{"results": [{id, label, detail}], "more": bool}``: at most one page."""

    permission = "org.view"

    def get(self, request: HttpRequest, pemda: str, kind: str) -> JsonResponse:
        if kind not in KINDS:
            return JsonResponse({"results": [], "more": False}, status=404)
        query = request.GET.get("q", "")[:100]
        personal = has_permission(request.user, self.pemda, "org.personal_data")
        if kind == "officials" and not personal and re.sub(r"\s", "", query).isdigit():
            # A NIP prefix is a birth date: no search by NIP without the right to see it.
            found: list[Model] = []
        else:
            found = search(kind=kind, pemda=self.pemda, query=query, scope=self.unit_scope)
        visible: set[int] = set()
        if kind == "officials" and personal:
            visible = selectors.personal_data_visible(
                user=request.user,
                pemda=self.pemda,
                officials=[o for o in found if isinstance(o, Official)],
            )
        results = [option(o, show_nip=o.pk in visible) for o in found]
        return JsonResponse(
            {"results": results, "more": len(found) >= PAGE},
            headers={"Cache-Control": "private, no-store"},
        )


class PickerInput(forms.TextInput):
    """A text input with what ``ui.js`` needs to make it a searchable picker."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url = ""
        self.field: PickerField | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {
                "data-picker": self.url,
                "data-picker-hint": gettext("Type at least two letters of the name or the NIP."),
                "data-picker-empty": gettext("Nothing found."),
                "autocomplete": "off",
                "placeholder": gettext("Name or NIP")
                if self.field and self.field.kind == "officials"
                else gettext("Name"),
            }
        )
        if self.field is not None and value not in (None, ""):
            label = self.field.label_for(value)
            if label:
                widget_attrs["data-picker-label"] = label
        return context


class PickerField(forms.ModelChoiceField):
    """A choice among a Pemda's officials, units or positions, without listing them.

    Accepts the id (what the picker sends), or for officials the 18-digit NIP typed in. Call
    ``bind(pemda=..., queryset=...)`` from the form's ``__init__``.
    """

    widget = PickerInput

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        self.kind = kind
        kwargs.setdefault("queryset", KINDS[kind]._default_manager.none())
        super().__init__(**kwargs)
        self.widget.field = self
        self.error_messages["invalid_choice"] = (
            _("No official of this Pemda has this NIP or id. Choose one from the list.")
            if kind == "officials"
            else _("Choose one from the list.")
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> PickerField:
        result: PickerField = super().__deepcopy__(memo)
        result.widget.field = result
        return result

    def bind(self, *, pemda: Pemda, queryset: QuerySet[Any] | None = None) -> None:
        self.queryset = (
            queryset
            if queryset is not None
            else KINDS[self.kind]._default_manager.filter(pemda=pemda)
        )
        self.widget.url = reverse("org:picker", kwargs={"pemda": pemda.slug, "kind": self.kind})

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        text = re.sub(r"\s", "", str(value))
        try:
            if self.kind == "officials" and len(text) == 18 and text.isdigit():
                return self.queryset.get(nip=text)  # type: ignore[union-attr]
            if text.isdigit():
                return self.queryset.get(pk=int(text))  # type: ignore[union-attr]
        except (ValueError, TypeError, self.queryset.model.DoesNotExist):  # type: ignore[union-attr]
            pass
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def prepare_value(self, value: Any) -> Any:
        return value.pk if isinstance(value, Model) else value

    def label_for(self, value: Any) -> str:
        """The label of the chosen value, to show it again (after a validation error too)."""
        try:
            obj = self.to_python(value)
        except ValidationError:
            return ""
        return option(obj)["label"] if obj is not None else ""
