"""Connecting a YouTube channel in a real browser: add the account, sign in with Google, come back connected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from juru.accounts.models import BrandAccount, ConnectionStatus, Organisation, Role
from tests.connectors.localapi import serve
from tests.connectors.youtube_api import CHANNEL, FakeYouTube
from tests.web.conftest import PASSWORD, add_totp, current_code, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_add_a_youtube_channel_and_connect_it_with_google(page: Any, live_server: Any, youtube: FakeYouTube) -> None:
    org = Organisation.objects.create(name="PT Nusantara Rasa", slug="nusantara")
    owner = make_member(org, "ani", Role.OWNER)
    device = add_totp(owner.user)
    base = live_server.url
    page.goto(f"{base}/")
    page.fill("input[name=username]", "ani")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/login/verify/")
    page.fill("input[name=token]", current_code(device))
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/o/nusantara/")

    page.goto(f"{base}/o/nusantara/accounts/add/")
    page.select_option("select[name=network]", "youtube")
    page.fill("input[name=handle]", "@nusantararasa")
    page.click("form.card button[type=submit].btn-primary")
    page.wait_for_url("**/o/nusantara/accounts/*/connect/")  # an account without credentials goes to connecting
    account = BrandAccount.objects.get(organisation=org, network="youtube")

    page.goto(f"{base}/o/nusantara/accounts/{account.public_id}/connect/")
    form = page.locator("[data-testid=connect-form]").inner_text()
    assert "Google" in form
    assert "YouTube" in form
    with page.expect_navigation():
        page.click("[data-testid=connect-form] button[type=submit].btn-primary")
    asked = {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}
    assert page.url.startswith(youtube.api.base_url)
    assert asked["code_challenge_method"] == "S256"
    assert asked["access_type"] == "offline"
    youtube.challenges["g-code"] = asked["code_challenge"]  # the person clicks "Allow" at Google
    page.goto(f"{asked['redirect_uri']}?state={asked['state']}&code=g-code")
    page.wait_for_url("**/o/nusantara/accounts/")
    account.refresh_from_db()
    assert account.connection_status == ConnectionStatus.CONNECTED
    assert account.credentials["channel_id"] == CHANNEL
