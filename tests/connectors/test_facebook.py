"""Facebook Page and Instagram connectors against a local server speaking the Graph API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from juru.connectors.base import Credentials, Media, OutboundPost, Outcome
from juru.connectors.facebook import FacebookPageConnector, InstagramConnector
from tests.connectors.localapi import LocalAPI, Request, Response, serve

PAGE = Credentials(handle="1040", access_token="page-token")
IG = Credentials(handle="1784", access_token="page-token")
IMAGE = (Media(filename="menu.jpg", content_type="image/jpeg", data=b"\xff\xd8"),)


def graph_error(code: int, message: str, subcode: int | None = None, status: int = 400) -> Response:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC"}
    if subcode:
        error["error_subcode"] = subcode
    return Response(status, {"error": error})


def graph_api() -> LocalAPI:
    """The Graph API v21.0 endpoints Juru uses, as the Meta developer docs describe them."""
    api = LocalAPI()
    posts: dict[str, str] = {}
    created: dict[str, datetime] = {}
    media: dict[str, tuple[str, datetime]] = {}

    def token_ok(request: Request) -> Response | None:
        if request.query.get("access_token") != ["page-token"]:
            return graph_error(190, "Error validating access token: Session has expired", subcode=463)
        return None

    @api.route("POST", r"/v21\.0/1040/feed")
    def feed(request: Request, match: re.Match[str]) -> Response:
        if denied := token_ok(request):
            return denied
        message = request.form().get("message", "")
        if not message:
            return graph_error(100, "(#100) Invalid parameter")
        post_id = f"1040_{len(posts) + 1}"
        posts[post_id] = message
        created[post_id] = datetime.now(tz=UTC)
        return Response(200, {"id": post_id})

    @api.route("POST", r"/v21\.0/1040/photos")
    def photos(request: Request, match: re.Match[str]) -> Response:
        return token_ok(request) or Response(200, {"id": "555", "post_id": "1040_555"})

    @api.route("POST", r"/v21\.0/(?P<post>\d+_\d+)/comments")
    def comment(request: Request, match: re.Match[str]) -> Response:
        return token_ok(request) or Response(200, {"id": f"{match.group('post')}_c1"})

    @api.route("DELETE", r"/v21\.0/(?P<post>\d+_\d+)")
    def delete(request: Request, match: re.Match[str]) -> Response:
        if posts.pop(match.group("post"), None) is None:
            return graph_error(100, "(#100) This post could not be loaded")
        return Response(200, {"success": True})

    @api.route("GET", r"/v21\.0/1040/feed")
    def read_feed(request: Request, match: re.Match[str]) -> Response:
        if "comments" not in request.query.get("fields", [""])[0]:
            return page_feed(request)
        comment = {
            "id": "1040_1_9",
            "message": "Harganya berapa kak?",
            "created_time": "2026-11-21T08:00:00+0000",
            "from": {"id": "31", "name": "Rina"},
        }
        return Response(200, {"data": [{"id": "1040_1", "comments": {"data": [comment]}}]})

    def page_feed(request: Request) -> Response:
        """The Page's posts newest first, from ``since`` (a Unix time), as ``/{page-id}/feed`` lists them."""
        if denied := token_ok(request):
            return denied
        since = datetime.fromtimestamp(int(request.query.get("since", ["0"])[0]), tz=UTC)
        data = [
            {
                "id": post_id,
                "message": message,
                "created_time": created[post_id].strftime("%Y-%m-%dT%H:%M:%S+0000"),
                "permalink_url": f"https://www.facebook.com/{post_id}",
            }
            for post_id, message in reversed(posts.items())
            if created[post_id] >= since.replace(microsecond=0)
        ]
        return Response(200, {"data": data})

    containers: dict[str, str] = {}

    @api.route("POST", r"/v21\.0/1784/media")
    def container(request: Request, match: re.Match[str]) -> Response:
        assert request.form()["image_url"].startswith("https://media.example/")
        container_id = str(17889 + len(containers))
        containers[container_id] = request.form().get("caption", "")
        return Response(200, {"id": container_id})

    @api.route("POST", r"/v21\.0/1784/media_publish")
    def media_publish(request: Request, match: re.Match[str]) -> Response:
        caption = containers.pop(request.form()["creation_id"], None)
        if caption is None:
            return graph_error(100, "(#100) The media container does not exist or was already published")
        media_id = str(17920 + len(media))
        media[media_id] = (caption, datetime.now(tz=UTC))
        return Response(200, {"id": media_id})

    @api.route("GET", r"/v21\.0/1784/media")
    def recent_media(request: Request, match: re.Match[str]) -> Response:
        """The account's media newest first, as ``/{ig-user-id}/media`` lists them."""
        if "caption" not in request.query.get("fields", [""])[0]:
            return Response(200, {"data": []})
        data = [
            {
                "id": media_id,
                "caption": caption,
                "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
                "permalink": f"https://www.instagram.com/p/{media_id}/",
            }
            for media_id, (caption, when) in reversed(media.items())
        ]
        return Response(200, {"data": data})

    api.posts = posts  # type: ignore[attr-defined]
    api.created = created  # type: ignore[attr-defined]
    api.media = media  # type: ignore[attr-defined]
    return api


@pytest.fixture
def server() -> Iterator[LocalAPI]:
    with serve(graph_api()) as api:
        yield api


@pytest.fixture
def page(server: LocalAPI) -> FacebookPageConnector:
    return FacebookPageConnector(base_url=server.base_url, client=httpx.Client(base_url=server.base_url, timeout=2.0))


def post(text: str = "Menu baru: Rendang Sapi Lada Hitam.", **kw: object) -> OutboundPost:
    return OutboundPost(text=text, idempotency_key="k1", **kw)  # type: ignore[arg-type]


def test_page_post(page: FacebookPageConnector, server: LocalAPI) -> None:
    result = page.publish(PAGE, post())
    assert (result.outcome, result.remote_id) == (Outcome.PUBLISHED, "1040_1")
    assert server.requests[-1].form()["message"] == "Menu baru: Rendang Sapi Lada Hitam."


def test_photo_post_reports_the_post_id(page: FacebookPageConnector) -> None:
    assert page.publish(PAGE, post(media=IMAGE)).remote_id == "1040_555"


def test_reply_is_a_comment(page: FacebookPageConnector) -> None:
    assert page.publish(PAGE, post(reply_to="1040_1")).remote_id == "1040_1_c1"


def test_expired_page_token(page: FacebookPageConnector) -> None:
    result = page.publish(Credentials(handle="1040", access_token="old"), post())
    assert result.outcome is Outcome.AUTH_EXPIRED
    assert "expired" in result.reason


@pytest.mark.parametrize("code", [4, 32, 613])
def test_rate_limit_codes(page: FacebookPageConnector, server: LocalAPI, code: int) -> None:
    server.fail_next("POST", "/feed", graph_error(code, "(#4) Application request limit reached", status=403))
    result = page.publish(PAGE, post())
    assert result.outcome is Outcome.RATE_LIMITED
    assert result.retry_after == 300


def test_transient_error_leaves_the_outcome_unknown(page: FacebookPageConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "/feed", graph_error(2, "An unexpected error has occurred.", status=500))
    assert page.publish(PAGE, post()).outcome is Outcome.PENDING


def test_invalid_parameter_is_rejected(page: FacebookPageConnector) -> None:
    assert page.publish(PAGE, post("")).outcome is Outcome.REJECTED


def test_delete(page: FacebookPageConnector) -> None:
    published = page.publish(PAGE, post())
    assert page.delete(PAGE, published.remote_id).outcome is Outcome.PUBLISHED
    assert page.delete(PAGE, published.remote_id).outcome is Outcome.REJECTED


def test_comments_become_mentions(page: FacebookPageConnector) -> None:
    [mention] = page.fetch_mentions(PAGE)
    assert (mention.author_name, mention.in_reply_to) == ("Rina", "1040_1")
    assert mention.created_at.tzinfo is not None


def after_first_attempt(text: str = "Menu baru: Rendang Sapi Lada Hitam.", **kw: object) -> OutboundPost:
    since = datetime.now(tz=UTC) - timedelta(minutes=1)
    return OutboundPost(text=text, idempotency_key="k1", attempted_since=since, **kw)  # type: ignore[arg-type]


def test_a_5xx_after_creating_is_found_in_the_page_feed(page: FacebookPageConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "/feed", Response(500, {"error": {"message": "unknown", "code": 1}}, after_effect=True))
    assert page.publish(PAGE, post()).outcome is Outcome.PENDING
    found = page.lookup(PAGE, after_first_attempt())
    assert found is not None
    assert (found.outcome, found.remote_id) == (Outcome.PUBLISHED, "1040_1")
    assert found.url == "https://www.facebook.com/1040_1"


def test_lookup_finds_nothing_when_nothing_was_created(page: FacebookPageConnector, server: LocalAPI) -> None:
    server.fail_next("POST", "/feed", graph_error(2, "Service temporarily unavailable", status=503))
    assert page.publish(PAGE, post()).outcome is Outcome.PENDING
    assert page.lookup(PAGE, after_first_attempt()) is None


def test_lookup_ignores_older_posts(page: FacebookPageConnector, server: LocalAPI) -> None:
    published = page.publish(PAGE, post())
    server.created[published.remote_id] -= timedelta(hours=3)  # type: ignore[attr-defined]
    assert page.lookup(PAGE, after_first_attempt()) is None


def test_lookup_that_cannot_ask_is_not_a_no(page: FacebookPageConnector, server: LocalAPI) -> None:
    server.fail_next("GET", "/feed", graph_error(2, "Service temporarily unavailable", status=503))
    found = page.lookup(PAGE, after_first_attempt())
    assert found is not None
    assert found.outcome is Outcome.PENDING


def test_instagram_two_step_publish(server: LocalAPI) -> None:
    client = httpx.Client(base_url=server.base_url, timeout=2.0)
    instagram = InstagramConnector(
        base_url=server.base_url, client=client, media_url_for=lambda m: f"https://media.example/{m.filename}"
    )
    result = instagram.publish(IG, post(media=IMAGE))
    assert (result.outcome, result.remote_id) == (Outcome.PUBLISHED, "17920")


def instagram_on(server: LocalAPI) -> InstagramConnector:
    client = httpx.Client(base_url=server.base_url, timeout=2.0)
    return InstagramConnector(
        base_url=server.base_url, client=client, media_url_for=lambda m: f"https://media.example/{m.filename}"
    )


def test_instagram_5xx_on_publishing_is_found_among_recent_media(server: LocalAPI) -> None:
    instagram = instagram_on(server)
    server.fail_next("POST", "/media_publish", Response(500, {"error": {"message": "x", "code": 1}}, after_effect=True))
    assert instagram.publish(IG, post(media=IMAGE)).outcome is Outcome.PENDING
    found = instagram.lookup(IG, after_first_attempt(media=IMAGE))
    assert found is not None
    assert (found.outcome, found.remote_id) == (Outcome.PUBLISHED, "17920")
    assert found.url == "https://www.instagram.com/p/17920/"
    assert len(server.media) == 1  # type: ignore[attr-defined]


def test_instagram_container_failure_is_surely_nothing_public(server: LocalAPI) -> None:
    instagram = instagram_on(server)
    server.fail_next("POST", "/1784/media$", Response(503, {"error": {"message": "down", "code": 2}}))
    assert instagram.publish(IG, post(media=IMAGE)).outcome is Outcome.FAILED
    assert instagram.lookup(IG, after_first_attempt(media=IMAGE)) is None


def test_instagram_needs_an_image_and_a_public_url(server: LocalAPI) -> None:
    instagram = InstagramConnector(base_url=server.base_url)
    assert "image" in instagram.publish(IG, post()).reason
    assert "public URL" in instagram.publish(IG, post(media=IMAGE)).reason


def test_reading_comments_with_an_expired_token_raises(page: FacebookPageConnector, server: LocalAPI) -> None:
    from juru.connectors.errors import ConnectorError

    server.fail_next("GET", "/feed", graph_error(190, "Session has expired", subcode=463))
    with pytest.raises(ConnectorError) as failure:
        page.fetch_mentions(PAGE)
    assert failure.value.result.outcome is Outcome.AUTH_EXPIRED
