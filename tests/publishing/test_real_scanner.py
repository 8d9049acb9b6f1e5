"""The workflow with the real scanner and the sandbox network (no fake scanner here)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.models import UserPreference
from juru.publishing import services
from juru.publishing.exceptions import NotSubmittableError
from juru.publishing.models import DraftState, Post, PostState, ScanDecision
from juru.publishing.services import publish as publish_services
from tests.publishing.conftest import Cast

pytestmark = pytest.mark.django_db

CUSTOMER_PHONE = "Pak Budi, nomor HP Anda 0812-3456-7890 sudah kami catat, pesanan segera dikirim 🙂"


def test_spokesperson_post_with_customer_phone_is_blocked_with_explained_highlight(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="🙂🙂 " + CUSTOMER_PHONE)
    decision = ScanDecision.objects.get(draft=draft)
    assert decision.verdict == "block"
    assert decision.context["role"] == "spokesperson"
    hit = next(h for h in decision.hits if h["entity"] == "PHONE")
    assert draft.text[hit["start"] : hit["end"]] == "0812-3456-7890"  # code-point offsets, emoji before it
    assert hit["message"]["id"]
    assert hit["citation"]["id"].startswith("UU 27/2022")
    assert hit["citation"]["en"].startswith("Law 27/2022")
    with pytest.raises(NotSubmittableError):
        services.submit_draft(draft, actor=cast.author)

    client = Client()
    client.force_login(cast.author.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=cast.author.user).persistent_id
    session.save()
    page = client.get(f"/o/acme/publishing/drafts/{draft.public_id}/").content.decode()
    assert 'class="hit hit-block"' in page
    assert ">0812-3456-7890</mark>" in page
    assert hit["message"]["id"] in page
    assert hit["citation"]["id"] in page
    assert hit["citation"]["en"] not in page
    fixed = client.post(
        "/o/acme/publishing/check/fix/",
        {
            "text": draft.text,
            "start": hit["start"],
            "end": hit["end"],
            "span": "0812-3456-7890",
            "entity": hit["entity"],
        },
    ).content.decode()
    assert "lewat pesan pribadi (DM)" in fixed
    assert "0812" not in fixed


def test_an_english_reader_sees_the_legal_citation_in_english(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text=CUSTOMER_PHONE)
    hit = next(h for h in ScanDecision.objects.get(draft=draft).hits if h["entity"] == "PHONE")
    UserPreference.objects.create(user=cast.author.user, language="en")
    client = Client()
    client.force_login(cast.author.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=cast.author.user).persistent_id
    session.save()
    page = client.get(f"/o/acme/publishing/drafts/{draft.public_id}/").content.decode()
    assert hit["citation"]["en"] in page
    assert "Pasal" not in page


def test_clean_post_goes_through_two_step_approval_and_appears_once(cast: Cast, sandbox: Any) -> None:
    services.configure_default_chains(cast.org, cast.owner)
    draft = services.create_draft(
        actor=cast.author, accounts=[cast.brand], text="Selamat pagi! Kantor kami buka pukul 08.00."
    )
    assert draft.verdict == "allow"
    draft = services.submit_draft(draft, actor=cast.author)
    assert draft.steps.count() == 2
    assert {s.kind for s in draft.steps.all()} == {"account"}
    draft = services.approve_draft(draft, actor=cast.pr1)
    draft = services.approve_draft(draft, actor=cast.compliance)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=["acme_id"])
    for _ in range(2):
        for pk in services.claim_due_posts():
            publish_services.publish_post(pk)
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED
    assert Post.objects.get().state == PostState.PUBLISHED
    timeline = sandbox.timeline("acme_id")
    assert [p.text for p in timeline] == ["Selamat pagi! Kantor kami buka pukul 08.00."]
