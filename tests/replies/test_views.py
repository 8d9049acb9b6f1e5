"""The replies pages: library filters, editing and approving, the composer keeping text on a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from juru.accounts.models import Member
from juru.listening.models import Mention
from juru.replies import services
from juru.replies.models import Reply, SavedReply
from tests.publishing.conftest import Cast
from tests.replies.conftest import approved_saved_reply
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def client_of(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


@pytest.mark.parametrize(("lang", "text"), [("id", "Balasan tersimpan"), ("en", "Saved replies")])
def test_the_library_filters_by_topic_and_language(cast: Cast, lang: str, text: str) -> None:
    approved_saved_reply(cast, "Mohon maaf, Kak {nama}.", text_en="We're sorry, {nama}.")
    services.create_saved_reply(actor=cast.pr1, title="Hanya ID", text_id="Terima kasih.", tags=["masukan"])
    url = reverse("replies:library", args=[cast.org.slug])
    page = client_of(cast.pr2, lang).get(url).content.decode()
    assert text in page
    assert "Hanya ID" in page
    assert "We&#x27;re sorry" not in page or lang == "en"
    english = client_of(cast.pr2, lang).get(url + "?lang=en").content.decode()
    assert "Hanya ID" not in english
    assert "We&#x27;re sorry, {nama}." in english
    topic = client_of(cast.pr2, lang).get(url + "?tag=masukan").content.decode()
    assert "Hanya ID" in topic
    assert "Mohon maaf" not in topic


def test_editing_shows_history_and_approving_unlocks_it(cast: Cast) -> None:
    saved = services.create_saved_reply(actor=cast.pr1, title="Maaf", text_id="Mohon maaf atas keterlambatannya.")
    detail = reverse("replies:saved-detail", args=[cast.org.slug, saved.public_id])
    form = {"title": "Maaf", "text_id": "Mohon maaf atas keterlambatannya, Kak.", "version": "1"}
    assert client_of(cast.pr1).post(detail, form).status_code == 302
    client_of(cast.compliance).post(
        reverse("replies:saved-approve", args=[cast.org.slug, saved.public_id]), {"version": "2"}
    )
    saved = SavedReply.objects.get(pk=saved.pk)
    assert saved.is_usable
    page = client_of(cast.pr1, "en").get(detail).content.decode()
    assert page.count('data-testid="version-row"') == 2
    assert "Material" in page


@pytest.mark.parametrize(("lang", "fix"), [("id", "kanal pribadi"), ("en", "private channel")])
def test_a_blocked_reply_keeps_the_text_and_says_why(
    cast: Cast, responder: Member, mention_on_sandbox: Callable[..., Mention], lang: str, fix: str
) -> None:
    mention = mention_on_sandbox()
    url = reverse("replies:reply_to", args=[cast.org.slug, mention.public_id])
    text = "Halo Kak, sudah kami telepon ke 0812-3456-7890 ya"
    response = client_of(responder, lang).post(url, {"text": text, "thread_key": str(mention.public_id)})
    page = response.content.decode()
    assert response.status_code == 200
    assert fix in page
    assert text in page  # nothing lost
    assert not Reply.objects.exists()


def test_the_live_check_fills_variables_and_names_the_missing_ones(
    cast: Cast, responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    url = reverse("replies:check", args=[cast.org.slug, mention.public_id])
    body: dict[str, Any] = {"text": "Halo {nama}, pesanan {nomor_pesanan} kami cek.", "var_nama": "0812-3456-7890"}
    page = client_of(responder, "en").post(url, body).content.decode()
    assert "id-pdp.phone-in-reply" in page  # a phone number typed into a variable is caught too
    assert "{nomor_pesanan}" in page


def test_someone_without_the_reply_grant_reads_but_cannot_answer(
    cast: Cast, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    url = reverse("replies:reply_to", args=[cast.org.slug, mention.public_id])
    page = client_of(cast.employee).get(url).content.decode()
    assert 'data-testid="no-reply-grant"' in page
    assert 'data-testid="composer"' not in page
    assert client_of(cast.employee).post(url, {"text": "Halo"}).status_code == 404


@pytest.mark.parametrize(("lang", "label"), [("id", "Balasan komentar"), ("en", "Reply to a comment")])
def test_a_reply_is_labelled_as_one_in_the_drafts_list_and_on_its_page(
    cast: Cast, responder: Member, mention_on_sandbox: Callable[..., Mention], lang: str, label: str
) -> None:
    mention = mention_on_sandbox()
    reply = services.send_reply(
        actor=responder, mention=mention, text="Mohon maaf, Kak. Kami cek sekarang.",
        thread_key=str(mention.public_id), opened_at=timezone.now(),
    )  # fmt: skip
    client = client_of(responder, lang)
    listing = client.get(reverse("publishing:draft-list", args=[cast.org.slug])).content.decode()
    assert listing.count(label) == 1
    detail = reverse("publishing:draft-detail", args=[cast.org.slug, reply.draft.public_id])
    assert f"<h1>{label}</h1>" in client.get(detail).content.decode()
