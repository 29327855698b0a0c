"""The sign-in form: Django's, with the lock-out message when too many attempts failed."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from yigou.accounts.backends import is_locked, locked_message


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        # The throttling backend raises PermissionDenied, which Django's authenticate() swallows;
        # asking the backend's counter again is the only way to tell "locked" from "wrong password".
        username = self.cleaned_data.get("username") or ""
        if is_locked(username, self.request):
            return forms.ValidationError(locked_message(), code="locked")
        return super().get_invalid_login_error()
