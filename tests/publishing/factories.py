"""Publishing objects for page tests: a draft on one account, its post, a scan decision, an attachment."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile

from juru.accounts.models import BrandAccount, Member
from juru.publishing.models import Attachment, Draft, Post, ScanDecision


def publishing_objects(author: Member, account: BrandAccount) -> dict[str, Any]:
    """A saved draft by ``author`` for ``account`` with the objects its pages link to."""
    org = author.organisation
    draft = Draft.objects.create(organisation=org, author=author, text="Promo kopi susu minggu ini", verdict="allow")
    post = Post.objects.create(organisation=org, draft=draft, account=account, idempotency_key=uuid.uuid4().hex)
    decision = ScanDecision.objects.create(
        organisation=org, draft=draft, post=post, revision="sha256:test", input_digest="sha256:x", verdict="allow"
    )
    attachment = Attachment(draft=draft, content_type="image/png", source="Tim Humas")
    attachment.file.save("menu.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return {"draft": draft, "post": post, "decision": decision, "attachment": attachment}
