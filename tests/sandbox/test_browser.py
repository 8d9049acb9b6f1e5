"""A visitor comments on a sandbox post and mentions an account in a real browser (Chromium)."""

from __future__ import annotations

from typing import Any

import pytest

from juru.connectors.base import Credentials
from juru.connectors.sandbox import SandboxConnector, SandboxStore
from tests.publishing.test_browser import indonesian

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def store(tmp_path: Any, settings: Any) -> SandboxStore:
    settings.SANDBOX_PATH = tmp_path / "sandbox.sqlite3"
    network = SandboxStore(settings.SANDBOX_PATH)
    network.register("nusantararasa", "Nusantara Rasa")
    network.publish("nusantararasa", "Rendang kemasan baru sudah tersedia di toko terdekat!")
    return network


def test_a_visitor_comments_and_mentions_and_the_brand_hears_both(page: Any, live_server: Any, store: Any) -> None:
    page.goto(f"{live_server.url}/sandbox/")
    page.click("nav.accounts >> text=@nusantararasa")
    page.wait_for_url("**/sandbox/@nusantararasa")
    page.locator(".post .meta a[href*='/sandbox/p/']").first.click()
    page.wait_for_url("**/sandbox/p/**")
    assert indonesian("Write a comment") in page.locator("[data-testid=visitor-form] h2").inner_text()
    form = page.locator("[data-testid=visitor-form]")

    form.locator("textarea").fill("   ")
    form.locator("input[name=handle]").fill("sari.wulandari")
    form.locator("button[type=submit]").click()
    assert page.locator("[data-testid=visitor-form] .error").count() >= 1
    assert page.locator("input[name=handle]").input_value() == "sari.wulandari"

    page.locator("[data-testid=visitor-form] textarea").fill("Enak bgt, tp kok susah dicari di Medan ya? 😋🙏")
    page.locator("[data-testid=visitor-form] button[type=submit]").click()
    page.wait_for_url("**#p-*")
    assert "susah dicari di Medan ya? 😋🙏" in page.locator(".post.comment").last.inner_text()

    page.goto(f"{live_server.url}/sandbox/@nusantararasa")
    assert page.locator("input[name=handle]").input_value() == "sari.wulandari"  # remembered
    page.locator("[data-testid=visitor-form] textarea").fill("Kapan ada promo lagi min?")
    page.locator("[data-testid=visitor-form] button[type=submit]").click()
    page.wait_for_url("**/sandbox/p/**")
    assert "@nusantararasa Kapan ada promo lagi min?" in page.locator(".post").first.inner_text()

    heard = SandboxConnector(store=store).fetch_mentions(Credentials(handle="nusantararasa"))
    assert [(m.kind, m.author_handle) for m in heard] == [
        ("comment", "sari.wulandari"),
        ("mention", "sari.wulandari"),
    ]
