"""Sign in (password, then authenticator code or recovery code), enrolment, sign out."""

from __future__ import annotations

from typing import Any

from django.contrib import auth, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts import services
from juru.accounts.exceptions import InvalidTwoFactorCodeError
from juru.web import session as pending
from juru.web import twofactor
from juru.web.decorators import actor_of, verified_login_required
from juru.web.forms import LoginForm, RecoveryForm, TokenForm

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _finish_login(request: HttpRequest, user: Any, device: Device | None) -> HttpResponseRedirect:
    """Log the user in (marking the session verified when a device was used) and go on."""
    next_url = pending.pending_next(request)
    if device is not None:
        # django-otp's login signal handler reads this attribute and marks the session verified.
        user.otp_device = device  # type: ignore[attr-defined]
    auth.login(request, user, backend=MODEL_BACKEND)
    pending.clear_pending(request)
    return redirect(next_url or "web:home")


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password (django-axes counts failures and locks out)."""
    next_url = pending.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "web:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = auth.authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is not None:
            return _after_password(request, user, next_url)
        # When axes locks the user out, its middleware replaces this response with the lockout page.
        form.add_error(None, _("The username or password is incorrect."))
    return render(request, "web/login.html", {"form": form, "next": next_url}, status=200)


def _after_password(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> HttpResponse:
    if twofactor.has_two_factor(user):
        pending.start_pending(request, user, next_url)
        return redirect("web:login_verify")
    reason = twofactor.enrolment_reason(user)
    if reason is not None:
        pending.start_pending(request, user, next_url)
        messages.info(request, reason)
        return redirect("web:twofactor_setup")
    pending.start_pending(request, user, next_url)
    return _finish_login(request, user, None)


def _restart(request: HttpRequest) -> HttpResponse:
    messages.warning(request, _("Your sign-in took too long. Please enter your password again."))
    return redirect("web:login")


@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app (a code already used is refused)."""
    user = pending.pending_user(request)
    device = twofactor.confirmed_totp(user) if user is not None else None
    if user is None or device is None:
        return _restart(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            services.record_second_factor_refused(user=user, method="totp", throttled=True, request=request)
            form.add_error("token", _("Too many wrong codes. Wait a minute, then try again."))
        elif verify_token(user, device.persistent_id, form.cleaned_data["token"]) is not None:
            return _finish_login(request, user, device)
        else:
            services.record_second_factor_refused(user=user, method="totp", throttled=False, request=request)
            form.add_error("token", _("This code is wrong or has already been used. Wait for the next code."))
    return render(request, "web/login_verify.html", {"form": form, "pending_user": user})


@never_cache
@require_http_methods(["GET", "POST"])
def login_recovery(request: HttpRequest) -> HttpResponse:
    """Step two with a single-use recovery code instead of the app."""
    user = pending.pending_user(request)
    if user is None:
        return _restart(request)
    form = RecoveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.use_recovery_code(user=user, code=form.cleaned_data["code"]):
            left = services.remaining_recovery_codes(user)
            messages.warning(request, _("Recovery code used. You have %(count)d left.") % {"count": left})
            return _finish_login(request, user, twofactor.recovery_device(user))
        services.record_second_factor_refused(user=user, method="recovery", throttled=False, request=request)
        form.add_error("code", _("This recovery code is wrong or has already been used."))
    return render(request, "web/login_recovery.html", {"form": form, "pending_user": user})


def _enrolling_user(request: HttpRequest) -> AbstractBaseUser | None:
    if request.user.is_authenticated:
        return request.user
    user = pending.pending_user(request)
    # Someone who already has an authenticator signs in with it; enrolment is not a way around it.
    if user is not None and twofactor.has_two_factor(user):
        return None
    return user


@never_cache
@require_http_methods(["GET", "POST"])
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: QR code and secret shown once, confirmed with a code."""
    user = _enrolling_user(request)
    if user is None:
        return _restart(request)
    if request.user.is_authenticated and twofactor.has_two_factor(user) and not twofactor.is_verified(request.user):
        return redirect("web:login")
    form = TokenForm(request.POST or None)
    device = TOTPDevice.objects.filter(
        pk=request.session.get(pending.ENROL_KEY), user_id=user.pk, confirmed=False
    ).first()
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            services.confirm_totp_enrolment(actor=user, device=device, token=form.cleaned_data["token"])
        except InvalidTwoFactorCodeError:
            form.add_error("token", _("This code does not match. Check the time on your phone and try again."))
        else:
            return _enrolled(request, user, device)
    if request.method == "POST" and device is not None:
        # A mistyped code keeps the key the user has just scanned.
        secret, qr = services.totp_secret(device), services.qr_svg(services.otpauth_uri(device))
    else:
        # Every visit shows a new key: the previous one has been on screen and is discarded.
        enrolment = services.start_totp_enrolment(actor=user)
        request.session[pending.ENROL_KEY] = enrolment.device.pk
        secret, qr = enrolment.secret, enrolment.qr_svg
    context: dict[str, Any] = {"form": form, "qr_svg": qr, "secret": _grouped(secret)}
    return render(request, "web/twofactor_setup.html", context)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _enrolled(request: HttpRequest, user: AbstractBaseUser, device: TOTPDevice) -> HttpResponse:
    request.session.pop(pending.ENROL_KEY, None)
    request.session[pending.CODES_KEY] = services.generate_recovery_codes(actor=user)
    messages.success(request, _("Two-factor sign-in is on."))
    if request.user.is_authenticated:
        otp_login(request, device)
    else:
        request.session[pending.CODES_NEXT_KEY] = pending.pending_next(request)
        _finish_login(request, user, device)
    return redirect("web:recovery_codes")


@never_cache
@require_http_methods(["GET", "POST"])
@verified_login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown exactly once; POST makes a new set."""
    if request.method == "POST":
        request.session[pending.CODES_KEY] = services.generate_recovery_codes(actor=actor_of(request))
        return redirect("web:recovery_codes")
    codes = request.session.pop(pending.CODES_KEY, None)
    next_url = request.session.pop(pending.CODES_NEXT_KEY, "") or reverse("web:home")
    context = {
        "codes": codes,
        "next_url": next_url,
        "remaining": services.remaining_recovery_codes(actor_of(request)),
        "has_two_factor": twofactor.has_two_factor(actor_of(request)),
    }
    return render(request, "web/recovery_codes.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link or image cannot sign anyone out)."""
    auth.logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("web:login")
