"""Credentials at rest: Fernet with ``settings.ENCRYPTION_KEY``.

The key may be a comma-separated list (newest first) so an operator can rotate keys: new values
are encrypted with the first key, old values still decrypt with the others.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _

from juru.accounts.exceptions import CredentialsUnreadableError


@lru_cache(maxsize=4)
def _fernet(key_setting: str) -> MultiFernet:
    keys = [k.strip() for k in key_setting.split(",") if k.strip()]
    if not keys:
        raise CredentialsUnreadableError(_("JURU_ENCRYPTION_KEY is not set: credentials cannot be stored."))
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    except (ValueError, UnicodeEncodeError):
        raise CredentialsUnreadableError(_("JURU_ENCRYPTION_KEY is not a valid Fernet key.")) from None


def encrypt(plaintext: str) -> str:
    """Encrypt a string; the result is URL-safe ASCII."""
    return _fernet(settings.ENCRYPTION_KEY).encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    """Decrypt a string written by ``encrypt``; a wrong key raises ``CredentialsUnreadableError``."""
    try:
        return _fernet(settings.ENCRYPTION_KEY).decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise CredentialsUnreadableError(_("Stored credentials cannot be decrypted with the current key.")) from None


def encrypt_json(value: dict[str, Any]) -> str:
    """Encrypt a JSON-serialisable mapping."""
    return encrypt(json.dumps(value, sort_keys=True, ensure_ascii=False))


def decrypt_json(ciphertext: str) -> dict[str, Any]:
    """Decrypt a mapping written by ``encrypt_json``; empty ciphertext means no credentials."""
    if not ciphertext:
        return {}
    data = json.loads(decrypt(ciphertext))
    if not isinstance(data, dict):
        raise CredentialsUnreadableError(_("Stored credentials are not a mapping."))
    return data
