"""YouTube connector against a local server speaking the documented YouTube Data API v3."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from juru.connectors import registry
from juru.connectors.base import Credentials, ModeratingConnector, OutboundPost, Outcome
from juru.connectors.connecting import ConnectError, Kind, pkce_verifier_challenge
from juru.connectors.youtube import YouTubeConnector, map_response, seconds_until_quota_reset
from tests.connectors.localapi import Response, serve
from tests.connectors.youtube_api import CHANNEL, TOKEN, FakeYouTube, google_error

CREDS = Credentials(handle=CHANNEL, access_token=TOKEN, refresh_token="1//refresh-1", extra={"channel_id": CHANNEL})


@pytest.fixture
def youtube() -> Iterator[FakeYouTube]:
    fake = FakeYouTube()
    with serve(fake.api):
        yield fake


def connector(fake: FakeYouTube, timeout: float = 5.0) -> YouTubeConnector:
    client = httpx.Client(base_url=fake.api.base_url, timeout=timeout)
    return registry.get_connector(  # type: ignore[return-value]
        "youtube",
        client=client,
        token_url=f"{fake.api.base_url}/token",
        client_id="yt-client",
        client_secret="yt-secret",
    )


def reply(to: str, text: str, key: str = "k-1", since: datetime | None = None) -> OutboundPost:
    started = since or datetime.now(tz=UTC) - timedelta(minutes=1)
    return OutboundPost(text=text, idempotency_key=key, reply_to=to, attempted_since=started)


def test_registered_by_entry_point_and_truthful_about_posts() -> None:
    caps = registry.capabilities("youtube")
    assert registry.connector_class("youtube") is YouTubeConnector
    assert not caps.posts
    assert caps.replies
    assert caps.max_media == 0
    assert caps.hide_comments
    assert caps.block_authors
    assert caps.lookup_by_content
    assert caps.refresh_tokens
    assert isinstance(YouTubeConnector(), ModeratingConnector)
    assert YouTubeConnector.setup.kind is Kind.OAUTH


def test_comment_threads_become_mentions_oldest_first_without_the_channels_own(youtube: FakeYouTube) -> None:
    first = youtube.comment("Rendangnya enak banget!", minutes_ago=30)
    second = youtube.comment("Kapan buka cabang di Medan?", author="UCpelanggan2", name="Sari", minutes_ago=10)
    youtube.comment("Terima kasih!", author=CHANNEL, name="Nusantara Rasa", parent=first.id)
    answer = youtube.comment("Setuju, mantap", author="UCpelanggan3", name="Dewi", parent=first.id)
    mentions = connector(youtube).fetch_mentions(CREDS)
    assert [m.remote_id for m in mentions] == [first.id, second.id, answer.id]
    assert mentions[0].kind == "comment"
    assert mentions[0].in_reply_to == "vid1"
    assert mentions[0].author_handle == "UCpelanggan1"
    assert mentions[0].author_name == "Budi"
    assert mentions[0].url == f"https://www.youtube.com/watch?v=vid1&lc={first.id}"
    assert mentions[2].kind == "reply"
    assert mentions[2].in_reply_to == first.id
    request = next(r for r in youtube.api.requests if r.path.endswith("/commentThreads"))
    assert request.query["allThreadsRelatedToChannelId"] == [CHANNEL]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_the_cursor_reads_only_what_came_after_it_across_pages(youtube: FakeYouTube) -> None:
    youtube.page_size_cap = 2
    for minutes in (50, 40, 30):
        youtube.comment(f"komentar {minutes}", minutes_ago=minutes)
    seen = connector(youtube).fetch_mentions(CREDS)
    assert [m.text for m in seen] == ["komentar 50", "komentar 40", "komentar 30"]
    assert any("pageToken" in r.query for r in youtube.api.requests)
    youtube.comment("komentar baru", minutes_ago=1)
    later = connector(youtube).fetch_mentions(CREDS, since=seen[-1].cursor)
    assert [m.text for m in later] == ["komentar baru"]


def test_reply_goes_under_the_thread_and_can_be_deleted(youtube: FakeYouTube) -> None:
    top = youtube.comment("Ada yang halal?")
    under = youtube.comment("Saya juga mau tahu", author="UCpelanggan2", parent=top.id)
    yt = connector(youtube)
    result = yt.publish(CREDS, reply(under.id, "Semua menu kami bersertifikat halal."))
    assert result.outcome is Outcome.PUBLISHED
    assert [c.text for c in youtube.replies_to(top.id)][-1] == "Semua menu kami bersertifikat halal."
    assert result.remote_id.startswith(f"{top.id}.")  # a reply to a reply joins the top-level thread
    assert yt.delete(CREDS, result.remote_id).outcome is Outcome.PUBLISHED
    assert result.remote_id not in youtube.comments


def test_a_post_that_is_not_a_reply_is_refused_without_a_call(youtube: FakeYouTube) -> None:
    result = connector(youtube).publish(CREDS, OutboundPost(text="Promo akhir pekan!", idempotency_key="k"))
    assert result.outcome is Outcome.REJECTED
    assert "replies" in result.reason
    assert youtube.api.requests == []


def test_quota_exceeded_waits_until_midnight_pacific(youtube: FakeYouTube) -> None:
    top = youtube.comment("Halo")
    youtube.quota = 10
    result = connector(youtube).publish(CREDS, reply(top.id, "Halo juga!"))
    assert result.outcome is Outcome.RATE_LIMITED
    assert "quotaExceeded" in result.reason
    assert result.retry_after is not None
    assert 0 < result.retry_after <= 25 * 3600
    assert youtube.replies_to(top.id) == []


def test_quota_reset_is_the_next_pacific_midnight() -> None:
    pacific = ZoneInfo("America/Los_Angeles")
    now = datetime(2026, 12, 7, 23, 30, tzinfo=pacific)
    assert seconds_until_quota_reset(now) == 30 * 60
    summer = datetime(2026, 7, 1, 0, 0, 1, tzinfo=pacific)
    assert seconds_until_quota_reset(summer) == 24 * 3600 - 1


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (401, "authError", Outcome.AUTH_EXPIRED),
        (403, "quotaExceeded", Outcome.RATE_LIMITED),
        (403, "rateLimitExceeded", Outcome.RATE_LIMITED),
        (403, "insufficientPermissions", Outcome.AUTH_EXPIRED),
        (403, "commentsDisabled", Outcome.REJECTED),
        (403, "forbidden", Outcome.REJECTED),
        (400, "processingFailure", Outcome.REJECTED),
        (404, "commentNotFound", Outcome.REJECTED),
        (429, "rateLimitExceeded", Outcome.RATE_LIMITED),
        (500, "backendError", Outcome.PENDING),
        (503, "backendError", Outcome.PENDING),
    ],
)
def test_documented_errors_map_to_outcomes(status: int, reason: str, expected: Outcome) -> None:
    fault = google_error(status, reason, "message")
    response = httpx.Response(fault.status, json=fault.body)
    assert map_response(response).outcome is expected


def test_comments_disabled_is_refused(youtube: FakeYouTube) -> None:
    top = youtube.comment("Halo", video="vid-off")
    youtube.disabled_videos.add("vid-off")
    result = connector(youtube).publish(CREDS, reply(top.id, "Terima kasih"))
    assert result.outcome is Outcome.REJECTED
    assert "commentsDisabled" in result.reason


def test_revoked_token_asks_for_reconnect(youtube: FakeYouTube) -> None:
    top = youtube.comment("Halo")
    stale = Credentials(handle=CHANNEL, access_token="revoked", extra={"channel_id": CHANNEL})
    assert connector(youtube).publish(stale, reply(top.id, "Halo")).outcome is Outcome.AUTH_EXPIRED


def test_a_5xx_after_the_reply_was_made_is_pending_and_the_lookup_finds_it(youtube: FakeYouTube) -> None:
    top = youtube.comment("Pesanan saya belum sampai")
    youtube.api.fail_next(
        "POST", r"/comments$", Response(503, google_error(503, "backendError", "x").body, after_effect=True)
    )
    yt = connector(youtube)
    sent = reply(top.id, "Mohon maaf, kami cek sekarang ya.")
    assert yt.publish(CREDS, sent).outcome is Outcome.PENDING
    found = yt.lookup(CREDS, sent)
    assert found is not None
    assert found.outcome is Outcome.PUBLISHED
    assert found.remote_id == youtube.replies_to(top.id)[0].id
    assert len(youtube.replies_to(top.id)) == 1


def test_a_5xx_before_the_reply_is_pending_and_the_lookup_says_it_is_not_there(youtube: FakeYouTube) -> None:
    top = youtube.comment("Pesanan saya belum sampai")
    youtube.comment("Mohon maaf, kami cek sekarang ya.", author="UCpeniru", parent=top.id)  # same words, not ours
    youtube.api.fail_next("POST", r"/comments$", Response(500, google_error(500, "backendError", "x").body))
    yt = connector(youtube)
    sent = reply(top.id, "Mohon maaf, kami cek sekarang ya.")
    assert yt.publish(CREDS, sent).outcome is Outcome.PENDING
    assert yt.lookup(CREDS, sent) is None


def test_a_timeout_after_sending_is_pending(youtube: FakeYouTube) -> None:
    top = youtube.comment("Halo")
    youtube.api.fail_next("POST", r"/comments$", Response(200, {}, delay=1.5))
    result = connector(youtube, timeout=0.5).publish(CREDS, reply(top.id, "Halo"))
    assert result.outcome is Outcome.PENDING


def test_lookup_that_cannot_reach_youtube_knows_nothing(youtube: FakeYouTube) -> None:
    top = youtube.comment("Halo")
    youtube.quota = 0
    result = connector(youtube).lookup(CREDS, reply(top.id, "Halo"))
    assert result is not None
    assert result.outcome is Outcome.RATE_LIMITED


def test_hide_holds_for_review_and_show_publishes_again(youtube: FakeYouTube) -> None:
    spam = youtube.comment("Cek link promo gratis!!!", author="UCspam")
    yt = connector(youtube)
    assert yt.hide(CREDS, spam.id).outcome is Outcome.PUBLISHED
    assert youtube.comments[spam.id].status == "heldForReview"
    assert yt.fetch_mentions(CREDS) == []  # held comments are not public
    assert yt.hide(CREDS, spam.id, hidden=False).outcome is Outcome.PUBLISHED
    assert youtube.comments[spam.id].status == "published"


def test_ban_rejects_the_authors_latest_comment_with_ban_author(youtube: FakeYouTube) -> None:
    youtube.comment("Promo gratis 1", author="UCspam", minutes_ago=5)
    latest = youtube.comment("Promo gratis 2", author="UCspam", minutes_ago=1)
    yt = connector(youtube)
    assert yt.block(CREDS, "UCspam").outcome is Outcome.PUBLISHED
    assert youtube.comments[latest.id].status == "rejected"
    assert "UCspam" in youtube.banned
    request = [r for r in youtube.api.requests if r.path.endswith("setModerationStatus")][-1]
    assert request.query["banAuthor"] == ["true"]
    assert request.query["moderationStatus"] == ["rejected"]


def test_ban_without_a_comment_or_unban_is_refused_honestly(youtube: FakeYouTube) -> None:
    yt = connector(youtube)
    assert yt.block(CREDS, "UCnobody").outcome is Outcome.REJECTED
    result = yt.block(CREDS, "UCspam", blocked=False)
    assert result.outcome is Outcome.REJECTED
    assert "YouTube Studio" in result.reason


def test_moderating_the_channels_own_comment_is_forbidden(youtube: FakeYouTube) -> None:
    top = youtube.comment("Halo")
    own = youtube.comment("Balasan kami", author=CHANNEL, parent=top.id)
    result = connector(youtube).hide(CREDS, own.id)
    assert result.outcome is Outcome.REJECTED
    assert "forbidden" in result.reason


def test_oauth_with_pkce_then_probe_and_refresh(youtube: FakeYouTube) -> None:
    yt = connector(youtube)
    redirect = yt.authorise("https://juru.example/cb", "state-1", {}, {})
    assert "access_type=offline" in redirect.url
    assert "code_challenge_method=S256" in redirect.url
    assert "youtube.force-ssl" in redirect.url
    assert "state=state-1" in redirect.url
    youtube.challenges["code-1"] = pkce_verifier_challenge(redirect.keep["verifier"])
    connected = yt.finish("code-1", "https://juru.example/cb", redirect.keep)
    assert connected.remote_user == "@nusantararasa"
    assert connected.credentials["channel_id"] == CHANNEL
    assert connected.credentials["refresh_token"]
    assert connected.credentials["expires_at"]
    refresh = Credentials(handle=CHANNEL, refresh_token=connected.credentials["refresh_token"])
    fresh = yt.refresh(refresh)
    assert fresh.credentials is not None
    assert fresh.credentials["refresh_token"] == connected.credentials["refresh_token"]  # Google keeps it
    assert yt.probe(Credentials(handle="", access_token=fresh.credentials["access_token"])).ok


def test_a_wrong_verifier_or_a_revoked_refresh_token_is_refused(youtube: FakeYouTube) -> None:
    yt = connector(youtube)
    redirect = yt.authorise("https://juru.example/cb", "s", {}, {})
    youtube.challenges["code-2"] = "not-the-challenge"
    with pytest.raises(ConnectError):
        yt.finish("code-2", "https://juru.example/cb", redirect.keep)
    refused = yt.refresh(Credentials(handle=CHANNEL, refresh_token="1//revoked"))
    assert refused.refused is not None
    assert "expired or revoked" in refused.refused.params["error"]
    assert not yt.probe(Credentials(handle="", access_token="revoked")).ok


def test_not_set_up_is_a_clear_error() -> None:
    with pytest.raises(ConnectError, match="JURU_YOUTUBE_CLIENT_ID"):
        YouTubeConnector().authorise("https://juru.example/cb", "s", {}, {})
