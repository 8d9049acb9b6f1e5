"""The moderation API: authors with strikes and state, ban/unban, whitelist, hide/unhide, appeals, the policy."""

from __future__ import annotations

import pytest

from tests.api_client import Api
from tests.moderation.conftest import CRITIC_HANDLE, SPAMMER, critic, deliver, spam_wave
from tests.publishing.conftest import build_cast

pytestmark = pytest.mark.django_db


def test_authors_with_strikes_evidence_and_state(cast, moderator):
    deliver(cast.org, cast.brand, spam_wave(3))
    deliver(cast.org, cast.brand, critic())
    api = Api(moderator)
    listed = api.get("/authors").json()
    assert [(a["handle"], a["points"], a["state"]) for a in listed] == [
        (SPAMMER, 3, "ban_suggested"),
        (CRITIC_HANDLE, 0, "active"),
    ]
    detail = api.get(f"/authors/{listed[0]['id']}").json()
    assert detail["threshold"] == 3
    assert [s["kind"] for s in detail["strikes"]] == ["spam"] * 3
    assert any(e["signal"] == "gambling" for e in detail["strikes"][0]["evidence"])
    assert [a["kind"] for a in detail["actions"]] == ["hide"] * 3
    assert [a["handle"] for a in api.get("/authors?state=ban_suggested").json()] == [SPAMMER]


def test_ban_unban_whitelist_and_hide_through_the_api(cast, moderator):
    deliver(cast.org, cast.brand, critic())
    api = Api(moderator)
    author = api.get("/authors").json()[0]
    banned = api.post(f"/authors/{author['id']}/ban", {"reason": "uji"}).json()
    assert (banned["state"], banned["ban_method"]) == ("banned", "block")
    again = api.post(f"/authors/{author['id']}/ban")
    assert again.status_code == 409
    assert again.json()["detail"] == "This author is banned already."
    assert api.post(f"/authors/{author['id']}/unban").json()["state"] == "active"
    white = api.post(f"/authors/{author['id']}/whitelist", {"whitelisted": True}).json()
    assert white["whitelisted"] is True
    comment = cast.org.mentions.get(author_handle=CRITIC_HANDLE)
    hidden = api.post(f"/authors/{author['id']}/comments/{comment.public_id}/hide")
    assert hidden.status_code == 202
    assert hidden.json()["kind"] == "hide"
    shown = api.post(f"/authors/{author['id']}/comments/{comment.public_id}/unhide")
    assert shown.json()["kind"] == "unhide"


def test_appeals_through_the_api_in_indonesian(cast, moderator):
    deliver(cast.org, cast.brand, spam_wave(3))
    api = Api(moderator, lang="id")
    author = api.get("/authors").json()[0]
    api.post(f"/authors/{author['id']}/ban")
    empty = api.post(f"/authors/{author['id']}/appeals", {"statement": " "})
    assert empty.status_code == 400
    assert empty.json()["detail"] == "Tuliskan apa yang disampaikan penulis."
    made = api.post(f"/authors/{author['id']}/appeals", {"statement": "Akun saya diretas"})
    assert made.status_code == 201
    assert [a["state"] for a in api.get("/appeals?state=open").json()] == ["open"]
    decided = api.post(f"/appeals/{made.json()['id']}/decide", {"accept": True}).json()
    assert decided["state"] == "accepted"
    assert api.get(f"/authors/{author['id']}").json()["state"] == "active"


def test_who_may_moderate_through_the_api(cast, moderator):
    deliver(cast.org, cast.brand, spam_wave(1))
    other = build_cast("lain")
    author = Api(cast.owner).get("/authors").json()[0]
    assert Api(cast.employee).get("/authors").status_code == 403
    assert Api(other.owner).get(f"/authors/{author['id']}").status_code == 404
    assert Api(cast.author).post(f"/authors/{author['id']}/ban").status_code == 403
    policy = Api(cast.owner).get("/moderation-policy").json()
    changed = Api(cast.owner).send("put", "/moderation-policy", policy | {"ban_mode": "automatic"})
    assert changed.json()["ban_mode"] == "automatic"
    refused = Api(moderator).send("put", "/moderation-policy", policy)
    assert refused.status_code == 403
    bad = Api(cast.owner).send("put", "/moderation-policy", policy | {"threshold": 0})
    assert bad.status_code == 400
