"""Attachments at signed, expiring public addresses, for networks that fetch media by URL (Instagram).

The address carries the attachment's public id signed with the site's secret key and the time it
was made (Django's ``TimestampSigner``); it works for ``LIFETIME`` and for nothing else. Served
only when ``JURU_PUBLIC_URL`` says where the networks can reach this Juru.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from juru.connectors.base import Media
from juru.publishing.models import Attachment

LIFETIME = timedelta(hours=1)  # a network fetches the file while the post is being created
_SALT = "juru.publishing.public-media"


def enabled() -> bool:
    """Whether Juru knows a public address of its own."""
    return bool(getattr(settings, "JURU_PUBLIC_URL", ""))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def signed_url(attachment: Attachment) -> str:
    """The attachment's public address, valid for ``LIFETIME`` from now."""
    token = _signer().sign(str(attachment.public_id))
    return settings.JURU_PUBLIC_URL + reverse("public-media", kwargs={"token": token})


def url_for(media: Media) -> str:
    """``media_url_for`` of the connectors: the public address of the attachment ``media`` was read from."""
    return signed_url(Attachment.objects.get(public_id=media.ref))


def attachment_for(token: str) -> Attachment | None:
    """The attachment a still-valid token names; ``None`` when it is forged, altered or expired."""
    try:
        public_id = _signer().unsign(token, max_age=LIFETIME)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return Attachment.objects.filter(public_id=public_id).first()
