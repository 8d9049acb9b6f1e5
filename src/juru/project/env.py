"""Typed readers for ``JURU_*`` environment variables; junk values fail loudly at start-up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string variable, stripped."""
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable; anything but a clear yes/no word is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    """An integer variable; a non-number is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: tuple[str, ...] = ()) -> list[str]:
    """A comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, data_dir: Path, *, generate: bool, generator: str = "token") -> str:
    """A secret from ``NAME``, else the file named by ``NAME_FILE``, else ``data_dir/name``.

    When ``generate`` is true and none exists, a new secret is written to ``data_dir`` with
    owner-only permissions (first ``make run``). Returns "" if absent and not generated.
    """
    value = env_str(name)
    if value:
        return value
    file_name = env_str(f"{name}_FILE")
    if file_name:
        path = Path(file_name)
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {path}, which cannot be read: {exc}") from None
    stored = data_dir / name.lower()
    if stored.exists():
        return stored.read_text(encoding="utf-8").strip()
    if not generate:
        return ""
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = _new_secret(generator)
    fd = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret


def _new_secret(kind: str) -> str:
    if kind == "fernet":
        from cryptography.fernet import Fernet

        return Fernet.generate_key().decode("ascii")
    if kind == "ed25519":
        from base64 import b64encode

        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return b64encode(raw).decode("ascii")
    return secrets.token_urlsafe(50)
