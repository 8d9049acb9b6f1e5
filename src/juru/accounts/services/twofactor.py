"""Two-factor authentication: TOTP enrolment, recovery codes, switching 2FA off.

The secret and the recovery codes are shown once; recovery codes are stored only as hashes.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.exceptions import InvalidTwoFactorCodeError
from juru.accounts.models import RecoveryCode, RecoveryCodeDevice
from juru.accounts.services.auth_events import record_for_each_organisation

TOTP_DEVICE_NAME = "Authenticator"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are typed by hand


@dataclass(frozen=True)
class TotpEnrolment:
    """What the enrolment page shows once: the secret, the otpauth URI and its QR code (SVG)."""

    device: TOTPDevice
    secret: str
    otpauth_uri: str
    qr_svg: str


def totp_secret(device: TOTPDevice) -> str:
    """The device's base32 secret (what authenticator apps accept when typed by hand)."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def otpauth_uri(device: TOTPDevice) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app reads from the QR code."""
    return str(device.config_url)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code of the URI (no external image, fits the CSP)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, border=2))


def has_two_factor(user: AbstractBaseUser) -> bool:
    """True when the user has a confirmed authenticator."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


@transaction.atomic
def start_totp_enrolment(
    *, actor: AbstractBaseUser, user: AbstractBaseUser | None = None, key: str | None = None
) -> TotpEnrolment:
    """A fresh unconfirmed authenticator for ``user`` (default: the actor); earlier unconfirmed ones go.

    ``key`` (40 hex digits) is only for provisioning known secrets, such as the demo's.
    """
    target = user or actor
    TOTPDevice.objects.filter(user_id=target.pk, confirmed=False).delete()
    extra = {"key": key} if key else {}
    device = TOTPDevice.objects.create(user_id=target.pk, name=TOTP_DEVICE_NAME, confirmed=False, **extra)
    uri = otpauth_uri(device)
    record_for_each_organisation(action="2fa.enrol_start", actor=actor, user=target)
    return TotpEnrolment(device=device, secret=totp_secret(device), otpauth_uri=uri, qr_svg=qr_svg(uri))


@transaction.atomic
def confirm_totp_enrolment(*, actor: AbstractBaseUser, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm with a code from the app; it replaces any earlier authenticator of the user."""
    if device.confirmed or not device.verify_token(str(token).strip().replace(" ", "")):
        raise InvalidTwoFactorCodeError(_("That code is not right. Check the time on your phone and try again."))
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_for_each_organisation(action="2fa.enrol_confirm", actor=actor, user=device.user)
    return device


def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))  # 31^16 ≈ 2^79
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def generate_recovery_codes(*, actor: AbstractBaseUser, user: AbstractBaseUser | None = None) -> list[str]:
    """Replace the user's recovery codes with a new set; returns the codes (shown once)."""
    target = user or actor
    RecoveryCodeDevice.objects.filter(user_id=target.pk).delete()
    # Codes issued by django-otp's own static device (stored in clear) are retired too.
    StaticDevice.objects.filter(user_id=target.pk).delete()
    device = RecoveryCodeDevice.objects.create(user_id=target.pk, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=RecoveryCode.hash_code(c)) for c in codes])
    record_for_each_organisation(action="2fa.recovery_codes", actor=actor, user=target, after={"count": len(codes)})
    return codes


def remaining_recovery_codes(user: AbstractBaseUser) -> int:
    """How many unused recovery codes the user has."""
    return RecoveryCode.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def use_recovery_code(*, user: AbstractBaseUser, code: str) -> bool:
    """Spend one recovery code (login fallback); True if it was valid and unused."""
    device = RecoveryCodeDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None or not device.verify_token(code):
        return False
    record_for_each_organisation(action="2fa.recovery_code_used", actor=user, user=user)
    return True


@transaction.atomic
def disable_two_factor(*, actor: AbstractBaseUser, user: AbstractBaseUser) -> None:
    """Remove every authenticator and recovery code of the user (they lose speaking eligibility)."""
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    RecoveryCodeDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    record_for_each_organisation(action="2fa.disable", actor=actor, user=user)
