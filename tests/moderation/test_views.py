"""The moderation pages: who sees them, the queue, the author's page with its evidence, decisions, both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from juru.accounts.models import Member
from juru.moderation.models import AppealState, Author, AuthorState, ModerationPolicy
from tests.moderation.conftest import CRITIC_HANDLE, SPAMMER, critic, deliver, spam_wave
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def _client(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


def _url(cast: Any, path: str = "") -> str:
    return f"/o/{cast.org.slug}/moderation/{path}"


def _spammer(cast: Any) -> Author:
    return Author.objects.get(organisation=cast.org, handle=SPAMMER)


def test_only_moderators_see_moderation(cast, moderator):
    assert _client(moderator).get(_url(cast)).status_code == 200
    assert _client(cast.owner).get(_url(cast)).status_code == 200
    assert _client(cast.employee).get(_url(cast)).status_code == 404
    assert _client(cast.pr1).get(_url(cast, "authors/")).status_code == 404
    assert 'data-testid="nav-moderation"' in _client(moderator).get(f"/o/{cast.org.slug}/").content.decode()
    assert 'data-testid="nav-moderation"' not in _client(cast.employee).get(f"/o/{cast.org.slug}/").content.decode()


@pytest.mark.parametrize(
    ("lang", "heading", "evidence"),
    [
        ("id", "Pelanggaran dan buktinya", "promosi judi online"),
        ("en", "Strikes and their evidence", "online gambling promotion"),
    ],
)
def test_the_author_page_explains_each_strike(cast, moderator, lang, heading, evidence):
    deliver(cast.org, cast.brand, spam_wave(3))
    html = _client(moderator, lang).get(_url(cast, f"authors/{_spammer(cast).public_id}/")).content.decode()
    assert heading in html
    assert evidence in html
    assert html.count('data-testid="strike"') == 3
    assert "https://gacor88.example/daftar" in html


def test_the_queue_shows_the_suggested_ban_and_a_moderator_confirms_it(cast, moderator):
    deliver(cast.org, cast.brand, spam_wave(3))
    deliver(cast.org, cast.brand, critic())
    client = _client(moderator, "en")
    html = client.get(_url(cast)).content.decode()
    assert f"@{SPAMMER}" in html
    assert CRITIC_HANDLE not in html.split('data-testid="suggested-bans"')[1].split("</section>")[0]
    response = client.post(_url(cast, f"authors/{_spammer(cast).public_id}/ban/"), {"reason": "judi"}, follow=True)
    assert "Author banned." in response.content.decode()
    assert _spammer(cast).state == AuthorState.BANNED
    again = client.post(_url(cast, f"authors/{_spammer(cast).public_id}/ban/"), follow=True)
    assert "This author is banned already." in again.content.decode()


def test_unban_whitelist_appeal_and_decision_from_the_author_page(cast, moderator):
    deliver(cast.org, cast.brand, spam_wave(3))
    client = _client(moderator, "id")
    base = _url(cast, f"authors/{_spammer(cast).public_id}/")
    client.post(base + "ban/")
    empty = client.post(base + "appeal/", {"statement": ""}, follow=True)
    assert "Tuliskan apa yang disampaikan penulis" in empty.content.decode()
    client.post(base + "appeal/", {"statement": "Akun saya diretas"})
    appeal = _spammer(cast).appeals.get()
    refused = client.post(_url(cast, f"appeals/{appeal.public_id}/decide/"), {"decision": "reject"}, follow=True)
    assert "Jelaskan mengapa" in refused.content.decode()
    client.post(_url(cast, f"appeals/{appeal.public_id}/decide/"), {"decision": "accept", "note": "ok"})
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ACCEPTED
    assert _spammer(cast).state == AuthorState.ACTIVE
    client.post(base + "whitelist/", {"whitelisted": "1"})
    assert _spammer(cast).whitelisted


def test_policy_is_changed_by_its_managers_with_clear_errors(cast, moderator):
    owner = _client(cast.owner, "en")
    page = owner.get(_url(cast, "policy/")).content.decode()
    assert "A negative or critical comment is never a strike" in page
    values = {
        "hide_spam": "on", "ban_mode": "automatic", "threshold": "0", "window_days": "7", "spam_weight": "1",
        "abuse_weight": "1", "hate_weight": "2",
    }  # fmt: skip
    bad = owner.post(_url(cast, "policy/"), values)
    assert bad.status_code == 200
    assert "greater than or equal to 1" in bad.content.decode()
    assert not ModerationPolicy.objects.filter(organisation=cast.org, ban_mode="automatic").exists()
    owner.post(_url(cast, "policy/"), values | {"threshold": "4"})
    saved = ModerationPolicy.objects.get(organisation=cast.org)
    assert (saved.ban_mode, saved.threshold) == ("automatic", 4)
    assert _client(moderator).post(_url(cast, "policy/"), values | {"threshold": "9"}).status_code == 404
    assert ModerationPolicy.objects.get(organisation=cast.org).threshold == 4


def test_a_moderator_sees_only_the_networks_of_their_grants(cast, moderator):
    from juru.accounts.services import brand_accounts

    elsewhere = brand_accounts.create_brand_account(
        actor=None, organisation=cast.org, network="mastodon", handle="acme@social.example", account_type="brand"
    )
    deliver(cast.org, elsewhere, critic())
    author = Author.objects.get(network="mastodon")
    assert _client(moderator).get(_url(cast, f"authors/{author.public_id}/")).status_code == 404
    assert _client(cast.owner).get(_url(cast, f"authors/{author.public_id}/")).status_code == 200
    assert CRITIC_HANDLE not in _client(moderator).get(_url(cast, "authors/")).content.decode()
