"""Accepting an invitation: the invited person chooses a password, then signs in (and sets up 2FA if needed)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from juru.accounts import invitations, services


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Set a password with an invitation link; an expired or used link gets a page that says so."""
    user = invitations.invited_user(uidb64, token)
    if user is None:
        return render(request, "web/invitation_invalid.html", status=410)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.accept_invitation(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. Sign in with your username and new password."))
        return redirect("web:login")
    return render(request, "web/invitation.html", {"form": form, "invited": user})
