"""Sign-in and sign-out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ..forms.auth import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "www/registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign anyone out."""
