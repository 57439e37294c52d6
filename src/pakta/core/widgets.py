"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


class MultipleFileInput(forms.ClearableFileInput):
    """Several files in one input. A browser never keeps the chosen files when a form comes
    back with an error, so the input then says so, next to it, instead of looking untouched:
    the files were not stored and must be chosen again."""

    allow_multiple_selected = True
    chosen: list[str]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        chosen = value if isinstance(value, list | tuple) else ([value] if value else [])
        self.chosen = [str(getattr(f, "name", "")) for f in chosen if f]
        return value

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        chosen = getattr(self, "chosen", [])
        if not chosen:
            return html
        note = gettext(
            "Nothing was saved, so the files you chose were not kept: choose them again (%(names)s)."
        ) % {"names": ", ".join(chosen)}
        return format_html(
            '{}<span class="field-note files-again" role="status">{}</span>', html, note
        )


def _attrs_html(attrs: dict[str, Any]) -> str:
    """Attributes as ``django/forms/widgets/attrs.html`` writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A ``<select>`` written in Python: the same HTML as Django's template-rendered ``Select``
    (``django/forms/widgets/select.html``), without one template include per option. For long
    lists on public pages (the 200 to 2,000 units of a Pemda on the report form), where the
    template engine spent about a quarter of a millisecond on each option."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
