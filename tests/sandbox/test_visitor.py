"""A visitor comments on a sandbox post or mentions an account; the brand hears it through the connector."""

from __future__ import annotations

import pytest
from django.test import Client

from juru.connectors.base import Credentials
from juru.connectors.sandbox import SandboxConnector, SandboxStore

pytestmark = pytest.mark.django_db

FAMILY = "👨‍👩‍👧‍👦"  # one grapheme made of seven code points


@pytest.fixture
def store(tmp_path, settings) -> SandboxStore:
    settings.SANDBOX_PATH = tmp_path / "sandbox.sqlite3"
    store = SandboxStore(settings.SANDBOX_PATH)
    store.register("tokoku", "Toko Kita")
    return store


@pytest.fixture
def post(store):
    made, _ = store.publish("tokoku", "Promo rendang akhir bulan!")
    return made


def visitor(lang: str = "id") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=lang)


def heard(store: SandboxStore) -> list:
    """What the brand account reads through the sandbox connector, as listening does."""
    return SandboxConnector(store=store).fetch_mentions(Credentials(handle="tokoku"))


def test_a_visitors_comment_shows_under_the_post_and_reaches_the_brand(store, post):
    client = visitor()
    response = client.post(f"/sandbox/p/{post.id}", {"handle": "@Budi_Santoso", "text": "Min, ada yg pedas? 🌶️"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/sandbox/p/{post.id}#p-")
    page = client.get(f"/sandbox/p/{post.id}").content.decode()
    assert "Min, ada yg pedas? 🌶️" in page
    assert 'value="budi_santoso"' in page  # the handle is remembered for the next comment
    [mention] = heard(store)
    assert (mention.kind, mention.author_handle, mention.in_reply_to) == ("comment", "budi_santoso", post.id)
    assert mention.text == "Min, ada yg pedas? 🌶️"


def test_a_mention_from_the_account_page_reaches_the_brand(store, post):
    response = visitor().post("/sandbox/@tokoku", {"handle": "sari.w", "text": "Kapan buka cabang di Medan?"})
    assert response.status_code == 302
    [mention] = heard(store)
    assert mention.kind == "mention"
    assert mention.text == "@tokoku Kapan buka cabang di Medan?"
    visitor().post("/sandbox/@tokoku", {"handle": "sari.w", "text": "Halo @TOKOKU, stok sambal ada?"})
    assert heard(store)[-1].text == "Halo @TOKOKU, stok sambal ada?"  # already named: not prefixed twice


def test_odd_unicode_is_kept_as_written_and_counted_as_people_see_it(store, post):
    text = "مرحبا שלום Ṱ̈ẖ̈ ZWJ " + FAMILY * 470
    response = visitor().post(f"/sandbox/p/{post.id}", {"handle": "emoji_fan", "text": text})
    assert response.status_code == 302
    assert heard(store)[0].text == text


@pytest.mark.parametrize(
    ("lang", "messages"),
    [
        ("id", ["Tulis sesuatu", "terlalu panjang 1 karakter", "Gunakan paling banyak 64", "pilih nama akun sendiri"]),
        ("en", ["Write something", "1 character too long", "Use up to 64", "choose a handle of your own"]),
    ],
)
def test_bad_input_gets_a_translated_error_and_keeps_what_was_typed(store, post, lang, messages):
    client = visitor(lang)
    cases = [
        {"handle": "budi", "text": " \u200b\n "},
        {"handle": "budi", "text": "a" * 501},
        {"handle": "bukan handle!", "text": "Halo kak, tulisan ini tidak boleh hilang"},
        {"handle": "tokoku", "text": "Menyamar jadi brand"},
    ]
    for case, message in zip(cases, messages, strict=True):
        response = client.post(f"/sandbox/p/{post.id}", case)
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page
        if case["text"].strip():
            assert case["text"][:40] in page
    assert heard(store) == []


def test_a_blocked_author_cannot_comment_or_mention(store, post):
    store.block("tokoku", "promo_gacor88")
    for path in (f"/sandbox/p/{post.id}", "/sandbox/@tokoku"):
        response = visitor("en").post(path, {"handle": "promo_gacor88", "text": "Slot gacor https://x.example"})
        assert response.status_code == 400
        assert "@tokoku has blocked @promo_gacor88." in response.content.decode()
    assert heard(store) == []


def test_comments_need_the_csrf_token(store, post):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="id")
    response = client.post(f"/sandbox/p/{post.id}", {"handle": "budi", "text": "tanpa token"})
    assert response.status_code == 403
    page = client.get(f"/sandbox/p/{post.id}").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert heard(store) == []


def test_a_removed_post_takes_no_comments(store, post):
    store.delete(post.id, by="tokoku")
    assert visitor().post(f"/sandbox/p/{post.id}", {"handle": "budi", "text": "halo"}).status_code == 404


def test_the_post_page_counts_its_comments(store, post):
    store.comment("budi", post.id, "Satu")
    store.comment("sari", post.id, "Dua")
    assert "2 komentar" in visitor().get(f"/sandbox/p/{post.id}").content.decode()
