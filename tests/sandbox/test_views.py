"""The sandbox's public pages show what the audience would see, and nothing it should not."""

from __future__ import annotations

import pytest
from django.test import Client

from juru.connectors.sandbox import SandboxStore


@pytest.fixture
def store(tmp_path, settings) -> SandboxStore:
    settings.SANDBOX_PATH = tmp_path / "sandbox.sqlite3"
    store = SandboxStore(settings.SANDBOX_PATH)
    store.register("tokoku", "Toko Kita")
    return store


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="id")


def test_public_timeline_lists_posts_newest_first(store, client):
    store.publish("tokoku", "Promo pertama")
    store.publish("tokoku", "Promo kedua <b>tebal</b>")
    page = client.get("/sandbox/").content.decode()
    assert page.index("Promo kedua") < page.index("Promo pertama")
    assert "&lt;b&gt;tebal&lt;/b&gt;" in page  # the public's text is escaped, never rendered as HTML
    assert "@tokoku" in page


def test_account_page_shows_only_that_accounts_posts(store, client):
    store.publish("tokoku", "Dari toko")
    store.publish("orang_lain", "Dari orang lain")
    page = client.get("/sandbox/@tokoku").content.decode()
    assert "Dari toko" in page
    assert "Dari orang lain" not in page
    assert "Toko Kita" in page


def test_unknown_or_invalid_account_is_404(store, client):
    assert client.get("/sandbox/@nobody").status_code == 404
    assert client.get("/sandbox/@bad%20handle!").status_code == 404


def test_post_page_shows_visible_comments_only(store, client):
    post, _ = store.publish("tokoku", "Promo akhir bulan")
    store.comment("budi_santoso", post.id, "Mantap, kapan mulai?")
    hidden = store.comment("promo_gacor88", post.id, "Slot gacor link di bio")
    store.hide(hidden.id, by="tokoku")
    page = client.get(f"/sandbox/p/{post.id}").content.decode()
    assert "Mantap, kapan mulai?" in page
    assert "Slot gacor" not in page


def test_deleted_and_missing_posts_are_404(store, client):
    post, _ = store.publish("tokoku", "Salah ketik")
    store.delete(post.id, by="tokoku")
    assert client.get(f"/sandbox/p/{post.id}").status_code == 404
    assert client.get("/sandbox/p/doesnotexist").status_code == 404
    assert "Salah ketik" not in client.get("/sandbox/").content.decode()


def test_older_posts_are_paged(store, client):
    for number in range(35):
        store.publish("tokoku", f"Post nomor {number:02d}")
    first = client.get("/sandbox/@tokoku").content.decode()
    assert "Post nomor 34" in first
    assert "Post nomor 04" not in first
    assert "?before=" in first
    before = first.split("?before=")[1].split('"')[0]
    second = client.get(f"/sandbox/@tokoku?before={before}").content.decode()
    assert "Post nomor 04" in second
    assert "Post nomor 34" not in second


def test_pages_follow_the_visitors_language(store, client):
    store.publish("tokoku", "Halo")
    assert '<html lang="id">' in client.get("/sandbox/").content.decode()
    assert '<html lang="en">' in Client(HTTP_ACCEPT_LANGUAGE="en").get("/sandbox/").content.decode()
