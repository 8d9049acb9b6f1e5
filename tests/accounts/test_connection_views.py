"""Connecting accounts through the web pages, end to end against local servers for each network."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client
from django.utils import timezone
from mastodon_mock.testing.server import MockServer

from juru.accounts import connections, services
from juru.accounts.models import BrandAccount, ConnectionStatus, Member, Organisation
from tests.accounts.test_connections import FakeX, running_x, x_account
from tests.connectors.localapi import LocalAPI, Request, Response, serve
from tests.connectors.youtube_api import CHANNEL, TOKEN, FakeYouTube
from tests.web.conftest import english_client, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_x(settings: Any) -> Iterator[FakeX]:
    with running_x(settings) as fake:
        yield fake


def signed_in(member: Member, **options: Any) -> Client:
    return sign_in(english_client(**options), member.user)


def make(org: Organisation, network: str, handle: str) -> BrandAccount:
    return services.create_brand_account(actor=None, organisation=org, network=network, handle=handle)


def url(account: BrandAccount, name: str = "connect") -> str:
    return f"/o/{account.organisation.slug}/accounts/{account.public_id}/connect/" + (
        "" if name == "connect" else f"{name}/"
    )


def callback(**query: str) -> str:
    """The one callback address every network returns to (the state says which flow it finishes)."""
    return "/o/nusantara/accounts/connect/callback/?" + "&".join(f"{k}={v}" for k, v in query.items())


def query_of(location: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(location).query).items()}


def snapshot(account: BrandAccount) -> tuple[str, str]:
    account.refresh_from_db()
    return account.connection_status, account.credentials_encrypted


# --------------------------------------------------------------------------- who may connect


def test_sandbox_connects_at_once(owner: Member, account: BrandAccount) -> None:
    client = signed_in(owner)
    page = client.get(url(account))
    assert page.status_code == 200
    assert b"practice network" in page.content
    response = client.post(url(account))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED


def test_roles_without_account_management_get_404(viewer: Member, account: BrandAccount) -> None:
    client = signed_in(viewer)
    assert client.get(url(account)).status_code == 404
    assert client.post(url(account)).status_code == 404
    assert snapshot(account)[0] == ConnectionStatus.DISCONNECTED


def test_other_organisations_account_is_404(outsider: Member, account: BrandAccount) -> None:
    client = signed_in(outsider)
    assert client.get(url(account)).status_code == 404
    assert client.post(url(account, "disconnect")).status_code == 404


def test_posts_need_the_csrf_token(owner: Member, account: BrandAccount) -> None:
    client = signed_in(owner, enforce_csrf_checks=True)
    for target in (url(account), url(account, "check"), url(account, "disconnect"), url(account, "page")):
        assert client.post(target).status_code == 403
    assert snapshot(account)[0] == ConnectionStatus.DISCONNECTED


# --------------------------------------------------------------------------- Bluesky


def _jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part(claims)}.c2lnbmF0dXJl"


@pytest.fixture
def pds(settings: Any) -> Iterator[LocalAPI]:
    """``com.atproto.server.createSession`` as a PDS answers it."""
    api = LocalAPI()

    @api.route("POST", r"/xrpc/com\.atproto\.server\.createSession")
    def create_session(request: Request, _match: Any) -> Response:
        body = request.json()
        if body.get("password") != "abcd-efgh-ijkl-mnop":
            return Response(401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
        did = "did:plc:nusantara123"
        claims = {"scope": "com.atproto.appPass", "sub": did, "exp": int(time.time()) + 7200}
        jwt = _jwt(claims)
        return Response(200, {"accessJwt": jwt, "refreshJwt": jwt, "handle": body["identifier"], "did": did})

    with serve(api):
        settings.JURU_BLUESKY_URL = api.base_url
        yield api


def test_bluesky_app_password_is_checked_and_stored_encrypted(owner: Member, org: Organisation, pds: LocalAPI) -> None:
    account = make(org, "bluesky", "nusantara.bsky.social")
    client = signed_in(owner)
    response = client.post(url(account), {"handle": "nusantara.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert account.credentials["secret"] == "abcd-efgh-ijkl-mnop"
    assert "abcd-efgh" not in account.credentials_encrypted
    assert b"abcd-efgh" not in client.get(url(account)).content  # write-only: never shown back


def test_bluesky_wrong_password_leaves_the_account_unchanged(owner: Member, org: Organisation, pds: LocalAPI) -> None:
    account = make(org, "bluesky", "nusantara.bsky.social")
    before = snapshot(account)
    response = signed_in(owner).post(url(account), {"handle": "nusantara.bsky.social", "app_password": "wrong-pass"})
    assert response.status_code == 400
    assert b"Bluesky refused this handle and app password." in response.content
    assert b"wrong-pass" not in response.content
    assert snapshot(account) == before


# --------------------------------------------------------------------------- Telegram

BOT_TOKEN = "123456789:AAFakeTokenForJuruTests_abcdefghijk"


@pytest.fixture
def telegram(settings: Any) -> Iterator[LocalAPI]:
    """The Bot API's ``getMe`` and ``getChat``."""
    api = LocalAPI()

    @api.route("POST", r"/bot(?P<token>[^/]+)/getMe")
    def get_me(_request: Request, match: re.Match[str]) -> Response:
        if match["token"] != BOT_TOKEN:
            return Response(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        return Response(200, {"ok": True, "result": {"id": 123456789, "is_bot": True, "username": "nusantara_bot"}})

    @api.route("POST", r"/bot(?P<token>[^/]+)/getChat")
    def get_chat(request: Request, _match: re.Match[str]) -> Response:
        if request.json().get("chat_id") != "@nusantararasa":
            return Response(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        return Response(200, {"ok": True, "result": {"id": -1001, "type": "channel", "username": "nusantararasa"}})

    with serve(api):
        settings.JURU_TELEGRAM_API_URL = api.base_url
        yield api


def test_telegram_bot_token_and_channel(owner: Member, org: Organisation, telegram: LocalAPI) -> None:
    account = make(org, "telegram", "@nusantararasa")
    response = signed_in(owner).post(url(account), {"bot_token": BOT_TOKEN, "channel": "@nusantararasa"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert account.credentials == {"handle": "@nusantararasa", "access_token": BOT_TOKEN, "bot": "nusantara_bot"}


@pytest.mark.parametrize(
    ("token", "channel", "message"),
    [
        (
            "123456789:AAWrongTokenForJuruTests_abcdefghijk",
            "@nusantararasa",
            b"Telegram does not accept this bot token.",
        ),
        ("../../etc/passwd", "@nusantararasa", b"does not look like a bot token"),
        (BOT_TOKEN, "@tokolain", b"cannot see @tokolain"),
    ],
)
def test_telegram_refusals(
    owner: Member, org: Organisation, telegram: LocalAPI, token: str, channel: str, message: bytes
) -> None:
    account = make(org, "telegram", "@nusantararasa")
    before = snapshot(account)
    response = signed_in(owner).post(url(account), {"bot_token": token, "channel": channel})
    assert response.status_code == 400
    assert message in response.content
    assert token.encode() not in response.content
    assert snapshot(account) == before


# --------------------------------------------------------------------------- Mastodon


@pytest.fixture(scope="module")
def mastodon_server() -> Iterator[MockServer]:
    server = MockServer().start()
    yield server
    server.stop()


@pytest.fixture
def instance(mastodon_server: MockServer, settings: Any) -> str:
    httpx.post(f"{mastodon_server.base_url}/api/v1/_mock/reset")
    settings.JURU_MASTODON_ALLOW_HTTP = True  # the mock speaks plain http on 127.0.0.1
    return str(mastodon_server.base_url)


class _Form(HTMLParser):
    """The hidden fields of the instance's "authorise" form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name"):
            self.fields[str(values["name"])] = values.get("value") or ""


def authorise_on_instance(location: str, username: str) -> str:
    """What the person does on their instance: open the page, pick their account; returns where it sends them."""
    page = httpx.get(location)
    assert page.status_code == 200
    form = _Form()
    form.feed(page.text)
    answer = httpx.post(location.split("?")[0], data={**form.fields, "username": username})
    assert answer.status_code in (302, 303)
    return answer.headers["location"]


def test_mastodon_oauth_flow(owner: Member, org: Organisation, instance: str) -> None:
    account = make(org, "mastodon", "@bob")
    client = signed_in(owner)
    start = client.post(url(account), {"instance_url": instance})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{instance}/oauth/authorize?")
    assert query_of(start["Location"])["redirect_uri"] == "http://testserver/o/nusantara/accounts/connect/callback/"
    back = authorise_on_instance(start["Location"], "bob")
    assert query_of(back)["code"] == "mockcode_bob"
    done = client.get(back.removeprefix("http://testserver"))
    assert done.status_code == 302
    account.refresh_from_db()
    stored = account.credentials
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert stored["base_url"] == instance
    assert stored["username"] == "bob"
    assert stored["access_token"]
    assert connections.probe(account).ok  # the stored token really works on the instance

    # Reconnecting reuses the app Juru registered on that instance.
    again = client.post(url(account), {"instance_url": instance})
    assert query_of(again["Location"])["client_id"] == stored["client_id"]


def test_mastodon_refused_code_leaves_account_unchanged(owner: Member, org: Organisation, instance: str) -> None:
    account = make(org, "mastodon", "@bob")
    client = signed_in(owner)
    state = query_of(client.post(url(account), {"instance_url": instance})["Location"])["state"]
    before = snapshot(account)
    response = client.get(callback(code="mockcode_nobody", state=state), follow=True)
    assert b"did not accept the authorisation" in response.content
    assert snapshot(account) == before


def test_plain_http_instance_refused_unless_allowed(owner: Member, org: Organisation, settings: Any) -> None:
    settings.JURU_MASTODON_ALLOW_HTTP = False
    account = make(org, "mastodon", "@bob")
    response = signed_in(owner).post(url(account), {"instance_url": "http://127.0.0.1:1"})
    assert response.status_code == 400
    assert b"Enter the address of the Mastodon instance" in response.content


# --------------------------------------------------------------------------- X (OAuth 2.0 + PKCE)


def start_x(client: Client, account: BrandAccount) -> dict[str, str]:
    response = client.post(url(account))
    assert response.status_code == 302
    return query_of(response["Location"])


def test_x_oauth_flow_with_pkce(owner: Member, org: Organisation, fake_x: FakeX) -> None:
    account = make(org, "x", "@nusantararasa")
    client = signed_in(owner)
    asked = start_x(client, account)
    assert asked["code_challenge_method"] == "S256"
    assert asked["client_id"] == "juru-client"
    assert "offline.access" in asked["scope"].split()
    code = fake_x.approve(asked["code_challenge"])
    done = client.get(callback(state=asked["state"], code=code))
    assert done.status_code == 302
    account.refresh_from_db()
    stored = account.credentials
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert stored["access_token"] == "xat-2"
    assert stored["refresh_token"] == "xrt-2"
    assert stored["user_id"] == "2244994945"
    assert stored["expires_at"]
    page = client.get(url(account))
    assert b"xat-2" not in page.content
    assert b"xrt-2" not in page.content
    assert b"expires at" in page.content


@pytest.mark.parametrize("state", ["", "forged-state"])
def test_missing_or_wrong_state_is_400(owner: Member, org: Organisation, fake_x: FakeX, state: str) -> None:
    account = make(org, "x", "@nusantararasa")
    client = signed_in(owner)
    start_x(client, account)
    before = snapshot(account)
    response = client.get(callback(state=state, code="xcode-1"))
    assert response.status_code == 400
    assert b"does not belong to a connection you started" in response.content
    assert snapshot(account) == before


def test_state_is_single_use(owner: Member, org: Organisation, fake_x: FakeX) -> None:
    account = make(org, "x", "@nusantararasa")
    client = signed_in(owner)
    asked = start_x(client, account)
    code = fake_x.approve(asked["code_challenge"])
    assert client.get(callback(state=asked["state"], code=code)).status_code == 302
    assert client.get(callback(state=asked["state"], code=code)).status_code == 400


def test_state_from_another_members_session_is_400(
    owner: Member, admin_member: Member, org: Organisation, fake_x: FakeX
) -> None:
    account = make(org, "x", "@nusantararasa")
    asked = start_x(signed_in(owner), account)
    code = fake_x.approve(asked["code_challenge"])
    assert signed_in(admin_member).get(callback(state=asked["state"], code=code)).status_code == 400
    assert snapshot(account)[0] == ConnectionStatus.DISCONNECTED


def test_denied_authorisation_changes_nothing(owner: Member, org: Organisation, fake_x: FakeX) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    client = signed_in(owner)
    asked = start_x(client, account)
    before = snapshot(account)
    response = client.get(callback(state=asked["state"], error="access_denied"), follow=True)
    assert response.status_code == 200
    assert b"Access was not granted on x, so nothing was changed" in response.content
    assert snapshot(account) == before
    assert not [r for r in fake_x.api.requests if r.path == "/2/oauth2/token"]


def test_x_not_configured_is_explained(owner: Member, org: Organisation, settings: Any) -> None:
    settings.JURU_X_CLIENT_ID = ""
    account = make(org, "x", "@nusantararasa")
    response = signed_in(owner).post(url(account))
    assert response.status_code == 400
    assert b"JURU_X_CLIENT_ID" in response.content


# --------------------------------------------------------------------------- expired → reconnect


def test_expired_token_shows_needs_reconnect_and_reconnect_restarts_the_flow(
    owner: Member, org: Organisation, fake_x: FakeX
) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    fake_x.access.clear()
    client = signed_in(owner)
    checked = client.post(url(account, "check"), follow=True)
    assert b"X no longer accepts" in checked.content
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.NEEDS_RECONNECT
    page = client.get(url(account))
    assert b"Needs reconnecting" in page.content
    assert b"Reason:" in page.content
    assert b"X no longer accepts" in page.content
    assert b"Reconnect" in page.content
    asked = start_x(client, account)
    done = client.get(callback(state=asked["state"], code=fake_x.approve(asked["code_challenge"])))
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED


def test_publishing_auth_expired_reason_is_shown(owner: Member, account: BrandAccount) -> None:
    connections.mark_needs_reconnect(account, "session expired (planned fault)")
    page = signed_in(owner).get(url(account))
    assert b"session expired (planned fault)" in page.content


def test_disconnect_deletes_credentials(owner: Member, org: Organisation) -> None:
    account = x_account(org, expires_in=timedelta(hours=2))
    response = signed_in(owner).post(url(account, "disconnect"))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.DISCONNECTED
    assert not account.has_credentials


# --------------------------------------------------------------------------- Facebook and Instagram

PAGES = [
    {
        "id": "1001",
        "name": "Nusantara Rasa",
        "access_token": "page-token-1001",
        "instagram_business_account": {"id": "17841400000000001", "username": "nusantararasa"},
    },
    {"id": "1002", "name": "Toko Lain", "access_token": "page-token-1002"},
]


@pytest.fixture
def graph(settings: Any) -> Iterator[LocalAPI]:
    """Graph API: code → user token, long-lived exchange, ``me/accounts``, and a node read with a Page token."""
    api = LocalAPI()
    tokens = {"page-token-1001": ["1001", "17841400000000001"], "page-token-1002": ["1002"]}

    @api.route("GET", r"/v21\.0/oauth/access_token")
    def access_token(request: Request, _match: Any) -> Response:
        query = {k: v[-1] for k, v in request.query.items()}
        if query.get("client_secret") != "fb-secret":
            return Response(400, {"error": {"message": "Error validating client secret.", "code": 1}})
        if query.get("grant_type") == "fb_exchange_token" and query.get("fb_exchange_token") == "short-user":
            return Response(200, {"access_token": "long-user", "token_type": "bearer", "expires_in": 5183944})
        if query.get("code") == "fbcode" and query.get("redirect_uri", "").endswith("/callback/"):
            return Response(200, {"access_token": "short-user", "token_type": "bearer", "expires_in": 5400})
        return Response(400, {"error": {"message": "Invalid verification code format.", "code": 100}})

    @api.route("GET", r"/v21\.0/me/accounts")
    def accounts(request: Request, _match: Any) -> Response:
        if request.query.get("access_token") != ["long-user"]:
            return Response(400, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
        return Response(200, {"data": PAGES, "paging": {"cursors": {"before": "a", "after": "b"}}})

    @api.route("GET", r"/v21\.0/(?P<node>\d+)")
    def node(request: Request, match: re.Match[str]) -> Response:
        token = request.query.get("access_token", [""])[-1]
        if match["node"] not in tokens.get(token, []):
            return Response(400, {"error": {"message": "Error validating access token.", "code": 190}})
        return Response(200, {"id": match["node"]})

    with serve(api):
        settings.JURU_FACEBOOK_GRAPH_URL = api.base_url
        settings.JURU_FACEBOOK_DIALOG_URL = "https://www.facebook.com"
        settings.JURU_FACEBOOK_APP_ID = "fb-app"
        settings.JURU_FACEBOOK_APP_SECRET = "fb-secret"
        yield api


def test_facebook_login_then_choose_the_page(owner: Member, org: Organisation, graph: LocalAPI) -> None:
    account = make(org, "facebook", "Nusantara Rasa")
    client = signed_in(owner)
    start = client.post(url(account))
    assert start["Location"].startswith("https://www.facebook.com/v21.0/dialog/oauth?")
    asked = query_of(start["Location"])
    assert "pages_manage_posts" in asked["scope"]
    chooser = client.get(callback(state=asked["state"], code="fbcode"))
    assert chooser.status_code == 302
    page = client.get(chooser["Location"])
    assert b"Nusantara Rasa" in page.content
    assert b"Toko Lain" in page.content
    assert b"page-token" not in page.content
    assert b"long-user" not in page.content
    flow = query_of(chooser["Location"])["flow"]
    done = client.post(url(account, "page"), {"flow": flow, "page": "1001"})
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert account.credentials["handle"] == "1001"
    assert account.credentials["access_token"] == "page-token-1001"
    # The choice is single-use too.
    assert client.post(url(account, "page"), {"flow": flow, "page": "1002"}).status_code == 400


def test_instagram_offers_only_pages_with_a_linked_account(owner: Member, org: Organisation, graph: LocalAPI) -> None:
    account = make(org, "instagram", "@nusantararasa")
    client = signed_in(owner)
    asked = query_of(client.post(url(account))["Location"])
    assert "instagram_content_publish" in asked["scope"]
    chooser = client.get(callback(state=asked["state"], code="fbcode"))
    page = client.get(chooser["Location"])
    assert b"@nusantararasa (Nusantara Rasa)" in page.content
    assert b"Toko Lain" not in page.content
    flow = query_of(chooser["Location"])["flow"]
    assert client.post(url(account, "page"), {"flow": flow, "page": "17841400000000001"}).status_code == 302
    account.refresh_from_db()
    assert account.credentials["handle"] == "17841400000000001"
    assert account.credentials["page_id"] == "1001"


def test_facebook_bad_code_and_bad_page_choice(owner: Member, org: Organisation, graph: LocalAPI) -> None:
    account = make(org, "facebook", "Nusantara Rasa")
    client = signed_in(owner)
    asked = query_of(client.post(url(account))["Location"])
    refused = client.get(callback(state=asked["state"], code="stale"), follow=True)
    assert b"Facebook refused the request: Invalid verification code format." in refused.content
    asked = query_of(client.post(url(account))["Location"])
    chooser = client.get(callback(state=asked["state"], code="fbcode"))
    flow = query_of(chooser["Location"])["flow"]
    wrong = client.post(url(account, "page"), {"flow": flow, "page": "9999"})
    assert wrong.status_code == 400
    assert b"Choose one of the Pages listed." in wrong.content
    assert snapshot(account)[0] == ConnectionStatus.DISCONNECTED


def test_account_list_links_to_reconnect(owner: Member, org: Organisation, account: BrandAccount) -> None:
    broken = x_account(org, expires_in=timedelta(hours=2))
    connections.mark_needs_reconnect(broken, "expired")
    page = signed_in(owner).get(f"/o/{org.slug}/accounts/")
    html = page.content.decode()
    assert f'href="{url(broken)}"' in html
    assert f'href="{url(account)}"' in html
    row = html[html.index(f"account-{broken.public_id}") :]
    assert "Reconnect" in row[: row.index("</tr>")]


# --------------------------------------------------------------------------- YouTube


@pytest.fixture
def youtube(settings: Any) -> Iterator[FakeYouTube]:
    fake = FakeYouTube()
    with serve(fake.api):
        settings.JURU_YOUTUBE_API_URL = fake.api.base_url
        settings.JURU_YOUTUBE_TOKEN_URL = f"{fake.api.base_url}/token"
        settings.JURU_YOUTUBE_AUTHORIZE_URL = f"{fake.api.base_url}/o/oauth2/v2/auth"
        settings.JURU_YOUTUBE_CLIENT_ID = "yt-client"
        settings.JURU_YOUTUBE_CLIENT_SECRET = "yt-secret"
        yield fake


def test_youtube_is_offered_in_the_account_form_and_connects_with_google(
    owner: Member, org: Organisation, youtube: FakeYouTube
) -> None:
    client = signed_in(owner)
    assert b'value="youtube"' in client.get(f"/o/{org.slug}/accounts/add/").content
    account = make(org, "youtube", "@nusantararasa")
    page = client.get(url(account))
    assert b"Google" in page.content
    assert b"Continue to sign in" in page.content
    start = client.post(url(account))
    assert start.status_code == 302
    asked = query_of(start["Location"])
    assert asked["access_type"] == "offline"
    assert asked["code_challenge_method"] == "S256"
    youtube.challenges["g-code"] = asked["code_challenge"]
    done = client.get(callback(state=asked["state"], code="g-code"))
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert account.credentials["channel_id"] == CHANNEL
    assert account.credentials["refresh_token"].startswith("1//")
    assert connections.probe(account).ok


def test_youtube_page_in_indonesian_and_not_configured_explained(
    owner: Member, org: Organisation, settings: Any
) -> None:
    settings.JURU_YOUTUBE_CLIENT_ID = ""
    account = make(org, "youtube", "@nusantararasa")
    client = sign_in(Client(), owner.user)
    page = client.get(url(account))
    assert b"Google" in page.content
    assert b"Lanjut" in page.content
    response = signed_in(owner).post(url(account))
    assert response.status_code == 400
    assert b"JURU_YOUTUBE_CLIENT_ID" in response.content
    assert snapshot(account)[0] == ConnectionStatus.DISCONNECTED


def test_youtube_tokens_are_refreshed_before_they_expire(org: Organisation, youtube: FakeYouTube) -> None:
    expiring = (timezone.now() + timedelta(minutes=5)).isoformat()
    credentials = {
        "access_token": TOKEN,
        "refresh_token": "1//refresh-1",
        "expires_at": expiring,
        "channel_id": CHANNEL,
    }
    account = services.create_brand_account(
        actor=None, organisation=org, network="youtube", handle="@nusantararasa", credentials=credentials,
        connection_status=ConnectionStatus.CONNECTED,
    )  # fmt: skip
    assert connections.refresh_expiring_tokens()["refreshed"] == 1
    account.refresh_from_db()
    assert account.credentials["access_token"] != TOKEN
    assert account.credentials["refresh_token"] == "1//refresh-1"


def test_the_connect_page_lets_its_form_lead_to_the_networks_sign_in_page(
    owner: Member, org: Organisation, youtube: FakeYouTube, account: BrandAccount
) -> None:
    # Browsers apply the CSP form-action to the redirect after the form: without this the redirect is blocked.
    page = signed_in(owner).get(url(make(org, "youtube", "@nusantararasa")))
    policy = page["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if part.strip().startswith("form-action"))
    assert "'self'" in form_action
    assert "https:" in form_action
    assert youtube.api.base_url in form_action
    sandbox_policy = signed_in(owner).get(url(account))["Content-Security-Policy"]
    assert "form-action 'self';" in sandbox_policy + ";"  # nothing to leave for where there is no sign-in page
