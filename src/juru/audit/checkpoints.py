"""Signed checkpoints of the chain head, kept outside the database so a rewritten tail is caught.

A checkpoint is ``{"seq", "hash", "time", "key", "sig"}``: the head's sequence number and hash at a
moment, signed with the installation's Ed25519 key (``JURU_AUDIT_SIGNING_KEY``, generated into the
data directory on first start). It is appended to a file, and optionally posted to a webhook and
e-mailed, all places the database's users cannot rewrite. ``juru audit verify`` checks every
signature and compares each checkpoint with the stored chain.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.mail import send_mail

from juru.audit.models import ChainHead

logger = logging.getLogger(__name__)


class CheckpointError(ValueError):
    """A checkpoint line that is malformed, or signed by a key that is not trusted."""


@dataclass(frozen=True)
class Checkpoint:
    """The chain head at one moment, with its signature."""

    seq: int
    hash: str
    time: str
    key: str
    sig: str

    def signed_text(self) -> bytes:
        """What the signature covers."""
        return _signed_text(self.seq, self.hash, self.time)

    def to_json(self) -> str:
        """One JSON line."""
        return json.dumps(asdict(self), sort_keys=True)


def _signed_text(seq: int, hash_: str, time: str) -> bytes:
    return json.dumps({"seq": seq, "hash": hash_, "time": time}, sort_keys=True, separators=(",", ":")).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _private_key() -> Ed25519PrivateKey:
    raw = settings.AUDIT_SIGNING_KEY
    if not raw:
        raise CheckpointError("JURU_AUDIT_SIGNING_KEY is not set: checkpoints cannot be signed")
    try:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw, validate=True))
    except ValueError as exc:
        raise CheckpointError(f"JURU_AUDIT_SIGNING_KEY is not a base64 Ed25519 key: {exc}") from None


def public_key_text(key: Ed25519PublicKey | None = None) -> str:
    """The installation's public key (base64), which anyone may use to check checkpoints."""
    public = key or _private_key().public_key()
    return _b64(public.public_bytes(Encoding.Raw, PublicFormat.Raw))


def trusted_keys() -> set[str]:
    """Public keys whose checkpoints are accepted: this installation's, and earlier ones listed."""
    keys = set(settings.AUDIT_TRUSTED_KEYS)
    if settings.AUDIT_SIGNING_KEY:
        keys.add(public_key_text())
    return keys


def sign_head(seq: int, hash_: str, *, now: datetime | None = None) -> Checkpoint:
    """A checkpoint of the given head, signed now."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    private = _private_key()
    signature = private.sign(_signed_text(seq, hash_, moment))
    return Checkpoint(seq, hash_, moment, public_key_text(private.public_key()), _b64(signature))


def parse_line(line: str, trusted: Iterable[str]) -> Checkpoint:
    """A checkpoint from one JSON line, its signature checked against the trusted keys."""
    try:
        data = json.loads(line)
        checkpoint = Checkpoint(
            seq=int(data["seq"]), hash=str(data["hash"]), time=str(data["time"]), key=str(data["key"]),
            sig=str(data["sig"]),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"not a checkpoint: {str(exc)[:80]}") from None
    if checkpoint.key not in set(trusted):
        raise CheckpointError(f"signed by an unknown key {checkpoint.key[:12]}...")
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(checkpoint.key))
        public.verify(base64.b64decode(checkpoint.sig), checkpoint.signed_text())
    except (InvalidSignature, ValueError):
        raise CheckpointError(f"the signature of the checkpoint at event {checkpoint.seq} is not valid") from None
    return checkpoint


def read_checkpoints(path: Path, trusted: Iterable[str]) -> tuple[list[Checkpoint], list[str]]:
    """The valid checkpoints in a file and a message for each line that is not one."""
    checkpoints: list[Checkpoint] = []
    errors: list[str] = []
    keys = set(trusted)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                checkpoints.append(parse_line(line, keys))
            except CheckpointError as exc:
                errors.append(f"{path}:{number}: {exc}")
    return checkpoints, errors


def _last_in_file(path: Path) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 4096))
        lines = handle.read().decode("utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def write_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Sign the current head and deliver it; None when nothing was appended since the last one."""
    head = ChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    if head is None or head[0] == 0:
        return None
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    last = _last_in_file(path)
    if not force and last and f'"seq": {head[0]},' in last:
        return None
    checkpoint = sign_head(head[0], head[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(checkpoint.to_json() + "\n")
    _deliver_elsewhere(checkpoint)
    return checkpoint


def _deliver_elsewhere(checkpoint: Checkpoint) -> None:
    """Webhook and e-mail copies; a failure is logged and the file copy stands."""
    if settings.AUDIT_CHECKPOINT_WEBHOOK:
        try:
            httpx.post(
                settings.AUDIT_CHECKPOINT_WEBHOOK,
                content=checkpoint.to_json(),
                headers={"Content-Type": "application/json"},
                timeout=10,
            ).raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("audit checkpoint webhook failed: %s", exc)
    if settings.AUDIT_CHECKPOINT_EMAILS:
        try:
            send_mail(
                subject=f"Juru audit checkpoint: event {checkpoint.seq}",
                message=checkpoint.to_json() + "\n",
                from_email=None,
                recipient_list=list(settings.AUDIT_CHECKPOINT_EMAILS),
            )
        except OSError as exc:
            logger.warning("audit checkpoint e-mail failed: %s", exc)
