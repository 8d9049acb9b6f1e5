"""X connector against a local server speaking the documented API v2."""

from __future__ import annotations

import base64
import html
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from juru.connectors.base import Credentials, OutboundPost, Outcome
from juru.connectors.x import XConnector, weighted_length
from tests.connectors.localapi import LocalAPI, Request, Response, serve

CREDS = Credentials(
    handle="nusantararasa", access_token="user-token", refresh_token="refresh-1", extra={"user_id": "77"}
)


def x_api() -> LocalAPI:
    """POST/DELETE /2/tweets, mentions and the OAuth 2.0 refresh as developer.x.com documents them."""
    api = LocalAPI()
    tweets: dict[str, str] = {}
    created: dict[str, datetime] = {}
    attached: dict[str, list[str]] = {}
    uploads: dict[str, dict[str, object]] = {}

    @api.route("POST", r"/2/media/upload/initialize")
    def initialize(request: Request, match: re.Match[str]) -> Response:
        """Media upload v2, step 1: declare type and size; the answer carries the media id."""
        if denied := unauthorized(request):
            return denied
        body = request.json()
        if body.get("media_type") not in ("image/jpeg", "image/png", "image/gif", "image/webp"):
            return Response(400, {"title": "Invalid Request", "detail": "media_type is not supported", "status": 400})
        media_id = str(1900000000000000000 + len(uploads))
        uploads[media_id] = {"total": int(body["total_bytes"]), "chunks": {}, "state": "open"}
        return Response(200, {"data": {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": 86400}})

    @api.route("POST", r"/2/media/upload/(?P<id>\d+)/append")
    def append(request: Request, match: re.Match[str]) -> Response:
        """Step 2: one chunk (base64 ``media``) at ``segment_index``; a 2xx without a body."""
        if denied := unauthorized(request):
            return denied
        upload = uploads.get(match.group("id"))
        if upload is None or upload["state"] != "open":
            return Response(400, {"title": "Invalid Request", "detail": "unknown media id", "status": 400})
        body = request.json()
        upload["chunks"][int(body["segment_index"])] = base64.b64decode(body["media"])  # type: ignore[index]
        return Response(200, None)

    @api.route("POST", r"/2/media/upload/(?P<id>\d+)/finalize")
    def finalize(request: Request, match: re.Match[str]) -> Response:
        """Step 3: the chunks must add up to the declared size."""
        if denied := unauthorized(request):
            return denied
        upload = uploads.get(match.group("id"))
        chunks: dict[int, bytes] = upload["chunks"] if upload else {}  # type: ignore[assignment]
        if upload is None or sum(len(c) for c in chunks.values()) != upload["total"]:
            return Response(400, {"title": "Invalid Request", "detail": "size mismatch", "status": 400})
        upload["state"] = "finalized"
        upload["data"] = b"".join(chunks[i] for i in sorted(chunks))
        return Response(200, {"data": {"id": match.group("id"), "media_key": f"3_{match.group('id')}"}})

    def unauthorized(request: Request) -> Response | None:
        if request.headers.get("Authorization") != "Bearer user-token":
            return Response(
                401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
            )
        return None

    @api.route("POST", r"/2/tweets")
    def create(request: Request, match: re.Match[str]) -> Response:
        if denied := unauthorized(request):
            return denied
        body = request.json()
        text = body["text"]
        media_ids = (body.get("media") or {}).get("media_ids") or []
        if any(uploads.get(media_id, {}).get("state") != "finalized" for media_id in media_ids):
            return Response(400, {"title": "Invalid Request", "detail": "Your media IDs are invalid.", "status": 400})
        if text in tweets.values():
            detail = "You are not allowed to create a Tweet with duplicate content."
            return Response(403, {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403})
        tweet_id = str(1860000000000000000 + len(tweets))
        tweets[tweet_id] = text
        created[tweet_id] = datetime.now(tz=UTC)
        attached[tweet_id] = list(media_ids)
        return Response(201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}})

    @api.route("GET", r"/2/users/77/tweets")
    def timeline(request: Request, match: re.Match[str]) -> Response:
        """Newest first, from ``start_time``; links come back wrapped in t.co and text HTML-escaped."""
        if denied := unauthorized(request):
            return denied
        since = datetime.fromisoformat(request.query["start_time"][0].replace("Z", "+00:00"))
        shown = [
            {
                "id": tweet_id,
                "text": html.escape(re.sub(r"https?://\S+", "https://t.co/Ab12Cd34", text), quote=False),
                "created_at": created[tweet_id].isoformat().replace("+00:00", "Z"),
            }
            for tweet_id, text in reversed(tweets.items())
            if created[tweet_id] >= since
        ]
        return Response(200, {"data": shown, "meta": {"result_count": len(shown)}} if shown else {"meta": {}})

    @api.route("DELETE", r"/2/tweets/(?P<id>\d+)")
    def delete(request: Request, match: re.Match[str]) -> Response:
        if denied := unauthorized(request):
            return denied
        return Response(200, {"data": {"deleted": tweets.pop(match.group("id"), None) is not None}})

    @api.route("GET", r"/2/users/77/mentions")
    def mentions(request: Request, match: re.Match[str]) -> Response:
        data = [
            {
                "id": "901",
                "text": "@nusantararasa rendangnya enak!",
                "author_id": "5",
                "created_at": "2026-11-21T03:00:00.000Z",
                "conversation_id": "900",
            }
        ]
        return Response(200, {"data": data, "includes": {"users": [{"id": "5", "name": "Budi", "username": "budi"}]}})

    api.tweets = tweets  # type: ignore[attr-defined]
    api.attached = attached  # type: ignore[attr-defined]
    api.uploads = uploads  # type: ignore[attr-defined]
    api.created = created  # type: ignore[attr-defined]
    return api


@pytest.fixture
def server() -> Iterator[LocalAPI]:
    with serve(x_api()) as api:
        yield api


@pytest.fixture
def connector(server: LocalAPI) -> XConnector:
    client = httpx.Client(base_url=server.base_url, timeout=2.0)
    return XConnector(base_url=server.base_url, client=client)


def post(text: str = "Rendang baru kami sudah hadir!", **kw: object) -> OutboundPost:
    return OutboundPost(text=text, idempotency_key="k1", **kw)  # type: ignore[arg-type]


def test_publish(connector: XConnector, server: LocalAPI) -> None:
    result = connector.publish(CREDS, post())
    assert result.outcome is Outcome.PUBLISHED
    assert result.url.endswith(result.remote_id)
    assert server.requests[-1].headers["Authorization"] == "Bearer user-token"


def test_reply_payload(connector: XConnector, server: LocalAPI) -> None:
    connector.publish(CREDS, post(reply_to="900"))
    assert server.requests[-1].json()["reply"] == {"in_reply_to_tweet_id": "900"}


def test_duplicate_content_is_rejected(connector: XConnector) -> None:
    connector.publish(CREDS, post())
    result = connector.publish(CREDS, post())
    assert result.outcome is Outcome.REJECTED
    assert "duplicate" in result.reason


def test_expired_token(connector: XConnector) -> None:
    result = connector.publish(Credentials(handle="n", access_token="old"), post())
    assert result.outcome is Outcome.AUTH_EXPIRED


def test_rate_limit_uses_reset_header(connector: XConnector, server: LocalAPI) -> None:
    reset = str(int(time.time()) + 120)
    server.fail_next(
        "POST",
        "/2/tweets",
        Response(429, {"title": "Too Many Requests", "status": 429}, headers={"x-rate-limit-reset": reset}),
    )
    result = connector.publish(CREDS, post())
    assert result.outcome is Outcome.RATE_LIMITED
    assert 100 < (result.retry_after or 0) <= 120


def test_service_unavailable_is_pending_not_retried_blindly(connector: XConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "/2/tweets", Response(503, {"title": "Service Unavailable", "status": 503}))
    assert connector.publish(CREDS, post()).outcome is Outcome.PENDING
    assert connector.lookup(CREDS, post()) is None


def test_lost_answer_is_pending(connector: XConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "/2/tweets", Response(drop=True))
    assert connector.publish(CREDS, post()).outcome is Outcome.PENDING
    assert len(server.tweets) == 1  # type: ignore[attr-defined]


def test_over_long_is_rejected_locally(connector: XConnector, server: LocalAPI) -> None:
    result = connector.publish(CREDS, post("x" * 281))
    assert result.outcome is Outcome.REJECTED
    assert server.requests == []


def test_delete(connector: XConnector) -> None:
    published = connector.publish(CREDS, post())
    assert connector.delete(CREDS, published.remote_id).outcome is Outcome.PUBLISHED


def test_mentions(connector: XConnector) -> None:
    [mention] = connector.fetch_mentions(CREDS)
    assert (mention.author_handle, mention.in_reply_to) == ("budi", "900")
    assert mention.created_at.year == 2026


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("halo", 4),
        ("cek https://nusantararasa.co.id/promo/rendang-super-panjang sekarang", 4 + 23 + 9),
        ("日本", 4),
        ("🍜", 2),
        ("👩‍🍳", 2),  # a ZWJ sequence is one emoji
        ("👍🏽", 2),  # a skin-tone modifier adds nothing
    ],
)
def test_weighted_length(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_capabilities_measure_in_x_units() -> None:
    from juru.connectors.registry import capabilities

    caps = capabilities("x")
    assert caps.measure("🍜 https://nusantararasa.co.id") == 2 + 1 + 23


def test_mentions_failure_raises(connector: XConnector, server: LocalAPI) -> None:
    from juru.connectors.errors import ConnectorError

    server.fail_next("GET", "/mentions", Response(429, {"title": "Too Many Requests", "status": 429}))
    with pytest.raises(ConnectorError) as failure:
        connector.fetch_mentions(CREDS)
    assert failure.value.result.outcome is Outcome.RATE_LIMITED


def after_first_attempt(text: str = "Rendang baru kami sudah hadir!") -> OutboundPost:
    return OutboundPost(text=text, idempotency_key="k1", attempted_since=datetime.now(tz=UTC) - timedelta(minutes=1))


def test_a_5xx_after_creating_is_pending_and_the_lookup_finds_the_post(
    connector: XConnector, server: LocalAPI
) -> None:
    server.fail_next("POST", "/2/tweets", Response(503, problem_503(), after_effect=True))
    assert connector.publish(CREDS, post()).outcome is Outcome.PENDING
    found = connector.lookup(CREDS, after_first_attempt())
    assert found is not None
    assert found.outcome is Outcome.PUBLISHED
    assert found.remote_id in server.tweets  # type: ignore[attr-defined]
    assert len(server.tweets) == 1  # type: ignore[attr-defined]


def test_a_5xx_before_creating_is_looked_up_as_absent(connector: XConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "/2/tweets", Response(503, problem_503()))
    assert connector.publish(CREDS, post()).outcome is Outcome.PENDING
    assert connector.lookup(CREDS, after_first_attempt()) is None


def test_lookup_matches_links_and_entities_as_x_rewrites_them(connector: XConnector, server: LocalAPI) -> None:
    text = "Promo & diskon: https://nusantararasa.co.id/promo <hari ini>"
    connector.publish(CREDS, post(text))
    found = connector.lookup(CREDS, after_first_attempt(text))
    assert found is not None
    assert found.outcome is Outcome.PUBLISHED
    assert connector.lookup(CREDS, after_first_attempt("Promo & diskon: hari ini")) is None


def test_lookup_ignores_posts_from_before_the_first_attempt(connector: XConnector, server: LocalAPI) -> None:
    published = connector.publish(CREDS, post())
    server.created[published.remote_id] -= timedelta(hours=2)  # type: ignore[attr-defined]
    assert connector.lookup(CREDS, after_first_attempt()) is None


def test_lookup_that_cannot_ask_is_not_a_no(connector: XConnector, server: LocalAPI) -> None:
    server.fail_next("GET", "/2/users/77/tweets", Response(503, problem_503()))
    found = connector.lookup(CREDS, after_first_attempt())
    assert found is not None
    assert found.outcome is Outcome.PENDING
    no_user = Credentials(handle="n", access_token="user-token")
    missing = connector.lookup(no_user, after_first_attempt())
    assert missing is not None
    assert missing.outcome is Outcome.PENDING


def problem_503() -> dict[str, object]:
    return {"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503}


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 9000  # just over 2 MB: three chunks


def test_two_images_are_uploaded_in_chunks_then_attached_by_id(connector: XConnector, server: LocalAPI) -> None:
    from juru.connectors.base import Media

    images = (
        Media(filename="a.png", content_type="image/png", data=PNG),
        Media(filename="b.jpg", content_type="image/jpeg", data=b"\xff\xd8 small \xff\xd9"),
    )
    result = connector.publish(CREDS, post(media=images))
    assert result.outcome is Outcome.PUBLISHED
    media_ids = server.attached[result.remote_id]  # type: ignore[attr-defined]
    assert len(media_ids) == 2
    assert server.uploads[media_ids[0]]["data"] == PNG  # type: ignore[attr-defined]
    appends = [r for r in server.requests if r.path.endswith("/append")]
    assert [r.json()["segment_index"] for r in appends] == [0, 1, 2, 0]


def test_a_failed_upload_is_surely_no_post(connector: XConnector, server: LocalAPI) -> None:
    from juru.connectors.base import Media

    server.fail_next("POST", "/finalize", Response(503, problem_503()))
    image = (Media(filename="a.png", content_type="image/png", data=b"\x89PNG"),)
    assert connector.publish(CREDS, post(media=image)).outcome is Outcome.FAILED
    assert server.tweets == {}  # type: ignore[attr-defined]


def test_x_refuses_unsupported_media_before_uploading(connector: XConnector, server: LocalAPI) -> None:
    from juru.connectors.base import Media

    video = (Media(filename="a.mp4", content_type="video/mp4", data=b"...."),)
    assert connector.publish(CREDS, post(media=video)).outcome is Outcome.REJECTED
    assert server.requests == []
