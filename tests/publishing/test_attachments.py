"""Attachments carry a source/credit, respect network limits, count as content, and are sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from juru.publishing import services
from juru.publishing.exceptions import InvalidInputError
from juru.publishing.models import DraftState
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str = "foto.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type=content_type)


def test_attachment_needs_a_source(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo")
    with pytest.raises(InvalidInputError):
        services.add_attachment(draft, actor=cast.author, upload=upload(), source=" ")
    attachment = services.add_attachment(draft, actor=cast.author, upload=upload(), source="Foto: Tim Humas")
    assert attachment.source == "Foto: Tim Humas"


def test_network_media_limits_apply(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo")
    with pytest.raises(InvalidInputError):
        services.add_attachment(
            draft, actor=cast.author, upload=upload("a.exe", "application/x-msdownload"), source="x"
        )
    for i in range(4):
        services.add_attachment(draft, actor=cast.author, upload=upload(f"{i}.png"), source="x")
    with pytest.raises(InvalidInputError):
        services.add_attachment(draft, actor=cast.author, upload=upload("5.png"), source="x")


def test_attachment_change_after_approval_resets_the_chain(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Halo")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    services.add_attachment(draft, actor=cast.author, upload=upload(), source="x")
    draft.refresh_from_db()
    assert draft.state == DraftState.DRAFT
    assert draft.version == 2


def test_attachments_are_sent_with_the_post(cast: Cast, sandbox: Any) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Dengan foto")
    services.add_attachment(draft, actor=cast.author, upload=upload(), source="Foto: Humas", alt_text="Kopi")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=["acme_id"])
    (pk,) = services.claim_due_posts()
    post = publish_services.publish_post(pk)
    assert post is not None
    sent = publish_services.outbound(post).media
    assert [(m.content_type, m.alt_text, m.data) for m in sent] == [("image/png", "Kopi", PNG)]
    assert len(sandbox.timeline("acme_id")) == 1
