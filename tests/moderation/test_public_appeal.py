"""The author's own appeal: a signed link, a public page in both languages, bad input refused with a clear
message and nothing stored, a limit on sending, and the moderator's answer (audited) shown to the author."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client, override_settings

from juru.accounts import api_limits
from juru.audit.models import AuditEvent
from juru.connectors.sandbox import SandboxStore
from juru.moderation import public_appeals, queries
from juru.moderation.models import ActionKind, Appeal, AppealState, Author, AuthorState, ModerationAction
from juru.moderation.services import authors as author_services
from tests.moderation.conftest import CRITIC_HANDLE, SPAMMER, critic, deliver, spam_wave
from tests.moderation.test_views import _client, _url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    """Each test starts with no sends counted (the limiter's memory storage lives as long as the process)."""
    api_limits._limiter.cache_clear()


@pytest.fixture
def spammer(cast: Any) -> Author:
    """Three spam comments: all hidden, a ban suggested."""
    deliver(cast.org, cast.brand, spam_wave(3))
    return Author.objects.get(organisation=cast.org, handle=SPAMMER)


def visitor(lang: str = "id") -> Client:
    client = Client()
    client.cookies["juru_language"] = lang
    return client


def link(author: Author) -> str:
    return public_appeals.appeal_path(author)


def links_to_appeal_of(html: str, author: Author) -> bool:
    """Whether ``html`` links to ``author``'s appeal page (tokens are dated: compare whom they name)."""
    prefix = link(author).rsplit("/", 2)[0] + "/"
    tokens = re.findall(rf'href="{re.escape(prefix)}([^/"]+)/"', html)
    return any(public_appeals.author_for(token) == author for token in tokens)


def test_the_author_page_gives_the_link_and_the_link_opens_the_appeal_page(cast, moderator, spammer):
    html = _client(moderator, "en").get(_url(cast, f"authors/{spammer.public_id}/")).content.decode()
    [shown] = re.findall(r'value="([^"]+)"[^>]*data-testid="appeal-link"', html)
    assert shown.startswith("http://testserver/appeal/")
    page = visitor("en").get(shown.removeprefix("http://testserver"))
    assert page.status_code == 200
    assert f"This page is for @{SPAMMER} on sandbox." in page.content.decode()
    assert "3 of your comments are hidden." in page.content.decode()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Ajukan banding atas keputusan moderasi", "Kirim banding"]),
        ("en", ["Appeal a moderation decision", "Send the appeal"]),
    ],
)
def test_the_appeal_page_exists_in_both_languages(spammer, lang, words):
    html = visitor(lang).get(link(spammer)).content.decode()
    for word in words:
        assert word in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_an_appeal_sent_by_the_author_lands_in_the_moderation_queue_audited(cast, spammer):
    response = visitor("en").post(
        link(spammer), {"statement": "Akun saya diretas, bukan saya yang promosi 🙏"}, follow=True
    )
    assert "Your appeal is sent." in response.content.decode()
    assert 'data-testid="appeal-waiting"' in response.content.decode()
    appeal = Appeal.objects.get(author=spammer)
    assert (appeal.state, appeal.recorded_by, appeal.statement) == (
        AppealState.OPEN, None, "Akun saya diretas, bukan saya yang promosi 🙏"
    )  # fmt: skip
    assert queries.queue(cast.org).appeals == [appeal]
    event = AuditEvent.objects.get(action="moderation.appeal_recorded")
    assert event.actor_label == f"@{SPAMMER} (sandbox)"
    assert event.actor_id is None


def test_odd_unicode_is_kept_whole_and_normalised(spammer):
    decomposed = "Cafe\u0301 ကျွန်ုပ် مرحبا 👩🏽‍💻 𝕏\n\tbaris dua"
    visitor().post(link(spammer), {"statement": decomposed})
    assert Appeal.objects.get(author=spammer).statement == "Café ကျွန်ုပ် مرحبا 👩🏽‍💻 𝕏\n\tbaris dua"


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("", "Tulis mengapa keputusan itu perlu diubah."),
        ("   \n\t ", "Tulis mengapa keputusan itu perlu diubah."),
        ("\u200b\u200b\u2060", "Tulis mengapa keputusan itu perlu diubah."),
        ("halo\x1b[31m", "Pesan berisi karakter kontrol"),
        ("x" * (public_appeals.MAX_STATEMENT + 1), "Banding paling banyak 5000 karakter; yang ini 5001."),
    ],
)
def test_bad_statements_are_refused_clearly_and_nothing_is_stored(spammer, statement, message):
    response = visitor("id").post(link(spammer), {"statement": statement})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_statement_of_exactly_the_limit_is_accepted(spammer):
    visitor().post(link(spammer), {"statement": "é" * public_appeals.MAX_STATEMENT})
    assert len(Appeal.objects.get(author=spammer).statement) == public_appeals.MAX_STATEMENT


def test_a_forged_or_damaged_link_is_refused_in_both_languages(spammer):
    token = public_appeals.appeal_token(spammer)
    forged = signing.dumps(str(spammer.public_id), salt="another.use")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        response = visitor("en").get(f"/appeal/{bad}/")
        assert response.status_code == 404
        assert "This appeal link is not valid" in response.content.decode()
        assert visitor("en").post(f"/appeal/{bad}/", {"statement": "tolong"}).status_code == 404
    assert "Tautan banding ini tidak sah" in visitor("id").get("/appeal/nonsense/").content.decode()
    assert not Appeal.objects.exists()


def test_an_expired_link_says_so(spammer, monkeypatch):
    old = time.time() - (public_appeals.LINK_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: old)
    token = public_appeals.appeal_token(spammer)
    monkeypatch.undo()
    response = visitor("en").post(f"/appeal/{token}/", {"statement": "tolong"})
    assert response.status_code == 404
    assert "This appeal link has expired" in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_link_to_an_author_that_no_longer_exists_is_refused(spammer):
    path = link(spammer)
    spammer.delete()
    assert visitor().get(path).status_code == 404


def test_a_second_appeal_waits_for_the_first_decision_and_a_rejection_reaches_the_author(cast, moderator, spammer):
    client = visitor("en")
    client.post(link(spammer), {"statement": "Bukan saya"})
    again = client.post(link(spammer), {"statement": "Bukan saya, sungguh"})
    assert again.status_code == 400
    assert "Your appeal is already waiting for a decision" in again.content.decode()
    assert Appeal.objects.filter(author=spammer).count() == 1
    appeal = Appeal.objects.get(author=spammer)
    _client(moderator, "en").post(
        _url(cast, f"appeals/{appeal.public_id}/decide/"), {"decision": "reject", "note": "Tautan judi, tiga kali"}
    )
    page = client.get(link(spammer)).content.decode()
    assert 'data-testid="appeal-rejected"' in page
    assert "Tautan judi, tiga kali" in page
    client.post(link(spammer), {"statement": "Saya sudah ganti kata sandi"})  # after an answer, one may ask again
    assert Appeal.objects.filter(author=spammer, state=AppealState.OPEN).count() == 1


def test_sending_is_limited_per_link(spammer):
    client = visitor("en")
    for _ in range(5):
        client.post(link(spammer), {"statement": ""})  # refused sends count too
    blocked = client.post(link(spammer), {"statement": "Akun saya diretas"})
    assert blocked.status_code == 429
    assert "Too many appeals sent from here. Try again in" in blocked.content.decode()
    assert not Appeal.objects.exists()


def test_sending_is_limited_per_address_across_links(cast, spammer, monkeypatch):
    monkeypatch.setattr("juru.moderation.public_views.APPEAL_RATE_ADDRESS", "2/hour")
    stranger = Author.objects.create(organisation=cast.org, network="sandbox", handle="lain")
    other = author_services.ban(actor=None, author=stranger)
    client = visitor()
    client.post(link(spammer), {"statement": ""})
    client.post(link(spammer), {"statement": ""})
    assert client.post(link(other), {"statement": "Bukan saya"}).status_code == 429
    assert not Appeal.objects.exists()


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_address_limit_counts_each_visitor(cast, spammer, monkeypatch):
    monkeypatch.setattr("juru.moderation.public_views.APPEAL_RATE_ADDRESS", "1/hour")
    stranger = Author.objects.create(organisation=cast.org, network="sandbox", handle="lain")
    other = author_services.ban(actor=None, author=stranger)
    first = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.66")
    first.post(link(spammer), {"statement": ""})
    assert first.post(link(other), {"statement": "Bukan saya"}).status_code == 429
    second = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert second.post(link(other), {"statement": "Bukan saya"}).status_code == 302


def test_the_form_needs_the_csrf_token(spammer):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(link(spammer), {"statement": "Bukan saya"}).status_code == 403
    assert not Appeal.objects.exists()


def test_an_author_with_nothing_hidden_or_banned_has_nothing_to_appeal(cast):
    deliver(cast.org, cast.brand, critic())
    author = Author.objects.get(organisation=cast.org, handle=CRITIC_HANDLE)
    page = visitor("en").get(link(author)).content.decode()
    assert 'data-testid="appeal-nothing"' in page
    assert 'data-testid="appeal-form"' not in page
    refused = visitor("en").post(link(author), {"statement": "Kenapa?"})
    assert "there is nothing to appeal" in refused.content.decode()
    assert not Appeal.objects.exists()


def test_accepting_lifts_the_ban_and_shows_the_hidden_comments_again_audited(cast, moderator, spammer):
    author_services.ban(actor=None, author=spammer)
    visitor().post(link(spammer), {"statement": "Akun saya diretas"})
    appeal = Appeal.objects.get(author=spammer)
    hides = set(ModerationAction.objects.filter(author=spammer, kind=ActionKind.HIDE).values_list("pk", flat=True))
    assert len(hides) == 3
    response = _client(moderator, "en").post(
        _url(cast, f"appeals/{appeal.public_id}/decide/"), {"decision": "accept", "note": ""}, follow=True
    )
    assert "the ban is lifted and hidden comments are shown again" in response.content.decode()
    spammer.refresh_from_db()
    assert spammer.state == AuthorState.ACTIVE
    assert public_appeals.hidden_count(spammer) == 0
    unhides = ModerationAction.objects.filter(author=spammer, kind=ActionKind.UNHIDE)
    assert unhides.count() == 3
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"moderation.appeal_accepted", "moderation.author_unbanned", "moderation.unhide_requested"} <= actions
    assert 'data-testid="appeal-accepted"' in visitor().get(link(spammer)).content.decode()


@pytest.fixture
def network(settings: Any, tmp_path: Any) -> SandboxStore:
    """The sandbox's public pages read this store; the brand has one post on it."""
    settings.SANDBOX_PATH = str(tmp_path / "sandbox.sqlite3")
    store = SandboxStore(settings.SANDBOX_PATH)
    store.register("acme", "Acme")
    store.publish("acme", "Selamat pagi dari Acme!")
    return store


@pytest.mark.parametrize(
    ("lang", "says"),
    [("id", "Acme menyembunyikan komentar @promo_gacor88."), ("en", "Acme has hidden comments of @promo_gacor88.")],
)
def test_a_visitor_writing_as_a_hidden_author_on_the_sandbox_is_shown_the_appeal_link(network, spammer, lang, says):
    root = network.timeline("acme")[0]
    client = visitor(lang)
    assert 'data-testid="appeal-notice"' not in client.get(f"/sandbox/p/{root.id}").content.decode()
    client.post(f"/sandbox/p/{root.id}", {"handle": SPAMMER, "text": "Info slot lagi"})
    page = client.get("/sandbox/").content.decode()  # the sandbox remembers the handle the visitor writes as
    assert says in page
    assert links_to_appeal_of(page, spammer)


def test_a_banned_author_refused_by_the_sandbox_sees_the_notice_at_once(cast, network, spammer):
    author_services.ban(actor=None, author=spammer)
    network.block("acme", SPAMMER)
    root = network.timeline("acme")[0]
    response = visitor("en").post(f"/sandbox/p/{root.id}", {"handle": SPAMMER, "text": "Kenapa diblokir?"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Acme has banned @promo_gacor88 from its accounts." in html
    assert links_to_appeal_of(html, spammer)


def test_other_visitors_see_no_notice(network, spammer):
    root = network.timeline("acme")[0]
    client = visitor("en")
    client.post(f"/sandbox/p/{root.id}", {"handle": "budi_santoso", "text": "Mantap!"})
    assert 'data-testid="appeal-notice"' not in client.get("/sandbox/").content.decode()


def test_an_appeal_the_author_sent_is_decided_through_the_api_the_same_way(cast, moderator, spammer):
    from tests.moderation.test_api import Api

    visitor().post(link(spammer), {"statement": "Akun saya diretas"})
    api = Api(moderator)
    [waiting] = api.get("/appeals?state=open").json()
    decided = api.post(f"/appeals/{waiting['id']}/decide", {"accept": True}).json()
    assert decided["state"] == "accepted"
    assert public_appeals.hidden_count(spammer) == 0  # accepting shows the hidden comments again, as on the page
