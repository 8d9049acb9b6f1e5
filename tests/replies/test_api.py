"""The replies API: saved replies, replying, presence; the pages' checks, 404 across organisations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from juru.accounts.models import Member
from juru.listening.models import Mention
from juru.replies import presence
from tests.api_client import Api
from tests.publishing.conftest import Cast, build_cast

pytestmark = pytest.mark.django_db


def test_saved_replies_are_created_versioned_and_approved(cast: Cast, responder: Member) -> None:
    writer, approver = Api(responder), Api(cast.compliance)
    made = writer.post("/saved-replies", {"title": "Maaf", "text_id": "Mohon maaf, Kak {nama}.", "tags": ["maaf"]})
    assert made.status_code == 201
    body = made.json()
    assert body["state"] == "pending"
    assert body["variables"] == ["nama"]
    refused = writer.post(f"/saved-replies/{body['id']}/approve")
    assert refused.status_code == 403
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    approved = approver.post(f"/saved-replies/{body['id']}/approve", {"version": 1})
    assert approved.json()["usable"] is True
    edited = writer.post(
        f"/saved-replies/{body['id']}/versions",
        {"title": "Maaf", "text_id": "Mohon maaf, Kak {nama}!", "expected_version": 1},
    )
    assert edited.status_code == 201
    assert edited.json()["usable"] is True  # punctuation only: still approved
    listed = writer.get("/saved-replies?state=approved").json()
    assert [s["version"] for s in listed] == [2]


@pytest.mark.parametrize(("lang", "word"), [("id", "judul"), ("en", "title")])
def test_bad_input_is_a_translated_problem(cast: Cast, responder: Member, lang: str, word: str) -> None:
    refused = Api(responder, lang).post("/saved-replies", {"title": "", "text_id": "Halo"})
    assert refused.status_code == 400
    assert word in refused.json()["detail"].lower()


def test_reply_to_a_mention_returns_the_state_and_a_phone_number_is_refused(
    responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    api = Api(responder)
    blocked = api.post(f"/mentions/{mention.public_id}/reply", {"text": "Kami telepon ke 0812-3456-7890 ya"})
    assert blocked.status_code == 422
    assert "move the conversation to a private channel" in blocked.json()["detail"]
    assert "0812" not in blocked.json()["detail"]
    unfilled = api.post(f"/mentions/{mention.public_id}/reply", {"text": "Halo {nama}, kami cek ya."})
    assert unfilled.status_code == 400
    assert "{nama}" in unfilled.json()["detail"]
    sent = api.post(
        f"/mentions/{mention.public_id}/reply", {"text": "Halo Kak {nama}, kami cek ya.", "values": {"nama": "Rina"}}
    )
    assert sent.status_code == 201
    body = sent.json()
    assert body["draft_state"] == "scheduled"
    assert body["post_state"] in ("scheduled", "publishing", "published")
    assert api.get(f"/replies/{body['id']}").json()["draft"] == body["draft"]


def test_presence_is_read_and_other_organisations_see_nothing(
    responder: Member, second_responder: Member, mention_on_sandbox: Callable[..., Mention]
) -> None:
    mention = mention_on_sandbox()
    presence.heartbeat(second_responder, str(mention.public_id), typing=True)
    assert Api(responder).get(f"/presence?thread_key={mention.public_id}").json() == [{"name": "Dodi", "typing": True}]
    other = build_cast("bank")
    stranger = Api(other.owner)
    assert stranger.get(f"/presence?thread_key={mention.public_id}").json() == []
    assert stranger.post(f"/mentions/{mention.public_id}/reply", {"text": "Halo"}).status_code == 404
