"""One audit write per action: a service appends all of its events at once, last, under one chain lock.

Events appended together share their chain time (taken once, under the lock); two writes would not.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from juru.audit.models import AuditEvent
from juru.connectors.base import Outcome, PublishResult
from juru.publishing import services
from juru.publishing.models import DraftState, PostState
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def writes_since(seq: int) -> dict[Any, list[str]]:
    """The audit events after ``seq``, grouped by the write that appended them."""
    groups: dict[Any, list[str]] = {}
    for created, action in AuditEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("created_at", "action"):
        groups.setdefault(created, []).append(action)
    return groups


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def approved(cast: Cast, **kw: Any) -> Any:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Selamat pagi!", **kw)
    return services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)


def test_editing_an_approved_draft_is_one_write(cast: Cast) -> None:
    draft = approved(cast)
    seq = last_seq()
    services.update_draft(draft, actor=cast.author, text="Selamat siang!")
    assert list(writes_since(seq).values()) == [["publishing.draft.chain_reset", "publishing.draft.updated"]]


def test_a_late_approval_and_its_expiry_are_one_write(cast: Cast) -> None:
    draft = services.create_draft(
        actor=cast.author, accounts=[cast.brand], text="Halo", scheduled_for=timezone.now() + timedelta(minutes=3)
    )
    draft = services.submit_draft(draft, actor=cast.author)
    seq = last_seq()
    assert services.approve_draft(draft, actor=cast.pr1).state == DraftState.EXPIRED
    assert list(writes_since(seq).values()) == [["publishing.draft.approve", "publishing.draft.expired"]]


def test_an_override_and_its_submission_are_one_write(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Kode BLOCKME")
    seq = last_seq()
    services.override_block(draft, actor=cast.owner, reason="Sudah dikonfirmasi legal")
    # The violation case it opens (a governance helper that returns its event) joins the same write.
    assert list(writes_since(seq).values()) == [
        ["violation.open", "publishing.draft.override", "publishing.draft.submitted"]
    ]


def test_an_attachment_on_an_approved_draft_is_one_write(cast: Cast, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    draft = approved(cast)
    seq = last_seq()
    upload = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    services.add_attachment(draft, actor=cast.author, upload=upload, source="Foto: Tim Humas")
    assert list(writes_since(seq).values()) == [["publishing.draft.chain_reset", "publishing.attachment.added"]]


def test_an_expired_token_while_publishing_is_one_write(cast: Cast, network: Any) -> None:
    draft = approved(cast)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    [pk] = services.claim_due_posts()
    attempt = services.begin_attempt(pk)
    assert attempt is not None
    seq = last_seq()
    post = services.record_outcome(attempt.pk, PublishResult(Outcome.AUTH_EXPIRED, reason="token revoked"))
    assert post.state == PostState.NEEDS_HUMAN
    assert list(writes_since(seq).values()) == [
        [
            "publishing.attempt.finished",
            "accounts.brand_account.needs_reconnect",
            "publishing.post.needs_human",
        ]
    ]
