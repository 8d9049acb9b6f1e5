"""In a real browser: an owner adds a person, the person opens the invitation, chooses a password, signs in
and is sent to set up two-factor sign-in (an administrator must have it)."""

from __future__ import annotations

from typing import Any

import pytest

from juru.accounts.models import Organisation, Role
from tests.web.conftest import PASSWORD, add_totp, current_code, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "teh-tarik-hangat-2026"


def watch_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_an_invited_administrator_sets_a_password_and_is_asked_for_two_factor(
    page: Any, chromium: Any, live_server: Any
) -> None:
    org = Organisation.objects.create(name="PT Kopi Nusantara", slug="kopi")
    device = add_totp(make_member(org, "ani", Role.OWNER).user)
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "ani")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/login/verify/")
    page.fill("input[name=token]", current_code(device))
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/o/kopi/")

    page.goto(f"{live_server.url}/o/kopi/members/add/")
    page.fill("input[name=username]", "dewi")
    page.fill("input[name=full_name]", "Dewi Lestari")
    page.select_option("select[name=role]", Role.ADMIN)
    page.click("button[type=submit].btn-primary")
    link = page.locator("[data-testid=invitation-link]").inner_text().strip()
    assert "/invitation/" in link
    assert errors == []

    invitee = chromium.new_context(locale="en-US")  # an English browser: the page stays Indonesian
    other = invitee.new_page()
    invitee_errors = watch_errors(other)
    other.goto(link)
    assert "Pilih kata sandi Anda" in other.locator("h1").inner_text()
    other.fill("input[name=new_password1]", NEW_PASSWORD)
    other.fill("input[name=new_password2]", NEW_PASSWORD)
    other.click("button[type=submit].btn-primary")
    other.wait_for_url("**/login/")
    assert "Kata sandi Anda sudah diatur." in other.locator("body").inner_text()
    other.fill("input[name=username]", "dewi")
    other.fill("input[name=password]", NEW_PASSWORD)
    other.click("button[type=submit].btn-primary")
    other.wait_for_url("**/security/two-factor/")

    other.goto(link)
    assert "Tautan undangan ini sudah tidak berlaku" in other.locator("h1").inner_text()
    assert [error for error in invitee_errors if "410" not in error] == []
    invitee.close()
