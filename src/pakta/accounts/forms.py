from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pakta.accounts.credentials import password_check
from pakta.core.errors import LockedOutError


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Username or NIP"), max_length=150)

    error_messages = {
        "invalid_login": _("The username/NIP or password is wrong."),
        "inactive": _("This account is inactive."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CountedPasswordChangeForm(PasswordChangeForm):
    """The old password is checked by the counted secret check, so it is no password oracle."""

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        try:
            ok = password_check(user=self.user, password=old_password, purpose="password-change")
        except LockedOutError as error:
            raise ValidationError(str(error), code="locked_out") from error
        if not ok:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ResetForm(PasswordResetForm):
    """Django skips accounts without a usable password; an account created by an administrator
    has none until its owner chooses one, and its owner must be able to ask again."""

    def get_users(self, email: str) -> Any:
        from pakta.accounts.models import User

        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.email.casefold() == email.casefold()
        )
