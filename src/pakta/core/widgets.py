"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
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
