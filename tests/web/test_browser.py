"""Smoke flows in a real browser: sign in with 2FA, switch language, grant publish, read the access review."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from juru.accounts.models import BrandAccount, Member, Organisation, Role
from tests.web.conftest import PASSWORD, add_totp, current_code, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set JURU_SCREENSHOTS=/some/dir to keep a screenshot of each page while working on the layout.
SHOTS = os.environ.get("JURU_SCREENSHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def setup() -> dict[str, Any]:
    org = Organisation.objects.create(name="PT Kopi Nusantara", slug="kopi")
    owner = make_member(org, "ani", Role.OWNER)
    speaker = make_member(org, "budi", Role.SPOKESPERSON)
    make_member(org, "citra", Role.RESPONDER)
    account = BrandAccount.objects.create(
        organisation=org, network="sandbox", handle="@kopinusantara", display_name="Kopi"
    )
    return {"org": org, "owner": owner, "speaker": speaker, "account": account, "device": add_totp(owner.user)}


def sign_in(page: Any, base: str, setup: dict[str, Any]) -> None:
    page.goto(f"{base}/")
    page.fill("input[name=username]", "ani")
    page.fill("input[name=password]", PASSWORD)
    shot(page, "login")
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/login/verify/")
    page.fill("input[name=token]", current_code(setup["device"]))
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/o/kopi/")


def test_sign_in_with_two_factor_and_switch_language(page: Any, live_server: Any, setup: dict[str, Any]) -> None:
    sign_in(page, live_server.url, setup)
    assert page.locator("nav.sidenav").inner_text().count("Ringkasan") == 1
    shot(page, "overview")
    page.click("[data-testid=language-switcher] button[value=en]")
    page.wait_for_load_state()
    assert "Overview" in page.locator("nav.sidenav").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("[data-testid=language-switcher] button[value=id]")
    page.wait_for_load_state()
    assert "Ringkasan" in page.locator("nav.sidenav").inner_text()


def test_grant_publish_and_read_access_review(page: Any, live_server: Any, setup: dict[str, Any]) -> None:
    sign_in(page, live_server.url, setup)
    speaker: Member = setup["speaker"]
    page.goto(f"{live_server.url}/o/kopi/accounts/{setup['account'].public_id}/grants/")
    page.select_option("select[name=permission]", "publish")
    page.select_option("select[name=member]", str(speaker.public_id))
    page.click("[data-testid=grant-form] button[type=submit]")
    # HTMX swaps the grants table in place and shows a toast.
    page.wait_for_selector("#grants td:has-text('Budi')")
    assert "Budi" in page.locator("#toasts").inner_text()
    shot(page, "grants")

    page.goto(f"{live_server.url}/o/kopi/access/")
    row = page.locator(f"#access-{speaker.public_id}")
    text = row.inner_text()
    # Budi now holds the grant but cannot publish yet: the review says why.
    assert "Autentikasi dua faktor belum diaktifkan." in text
    assert "Organisasi belum menerbitkan kebijakan." in text
    shot(page, "access_review")
    for path, name in [("members/", "members"), ("teams/", "teams"), ("accounts/", "accounts"), ("audit/", "audit")]:
        page.goto(f"{live_server.url}/o/kopi/{path}")
        shot(page, name)
