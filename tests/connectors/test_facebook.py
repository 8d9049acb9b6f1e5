"""Facebook Page and Instagram connectors against a local server speaking the Graph API."""

from __future__ import annotations

import re
from collections.abc import Iterator

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
        comment = {
            "id": "1040_1_9",
            "message": "Harganya berapa kak?",
            "created_time": "2026-11-21T08:00:00+0000",
            "from": {"id": "31", "name": "Rina"},
        }
        return Response(200, {"data": [{"id": "1040_1", "comments": {"data": [comment]}}]})

    @api.route("POST", r"/v21\.0/1784/media")
    def container(request: Request, match: re.Match[str]) -> Response:
        assert request.form()["image_url"].startswith("https://media.example/")
        return Response(200, {"id": "17889"})

    @api.route("POST", r"/v21\.0/1784/media_publish")
    def media_publish(request: Request, match: re.Match[str]) -> Response:
        assert request.form()["creation_id"] == "17889"
        return Response(200, {"id": "17920"})

    api.posts = posts  # type: ignore[attr-defined]
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


def test_no_lookup(page: FacebookPageConnector) -> None:
    assert page.lookup(PAGE, post()) is None


def test_instagram_two_step_publish(server: LocalAPI) -> None:
    client = httpx.Client(base_url=server.base_url, timeout=2.0)
    instagram = InstagramConnector(
        base_url=server.base_url, client=client, media_url_for=lambda m: f"https://media.example/{m.filename}"
    )
    result = instagram.publish(IG, post(media=IMAGE))
    assert (result.outcome, result.remote_id) == (Outcome.PUBLISHED, "17920")


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
