"""The publishing demo in a real browser (Debian's Chromium through Playwright) on the demo organisation.

The spokesperson types a customer's phone number and sees it highlighted with the reason, and the
draft cannot be submitted; a clean post goes to PR, then compliance (two other people, each signed in
with password and authenticator code), is scheduled after confirming the target account, is published
by the sweeper and the publish task, and shows up exactly once on the sandbox timeline.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.models import BrandAccount
from juru.ops import demo
from juru.publishing import tasks
from juru.publishing.models import Draft, DraftState, Post, PostState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = demo.ORG_SLUG
CUSTOMER_PHONE = "0812-3456-7890"
BLOCKED_TEXT = f"Pak Budi, nomor HP Anda {CUSTOMER_PHONE} sudah kami catat, pesanan segera dikirim."
CLEAN_TEXT = "Halo Sobat Rasa! Sambal Nusantara Rasa kini hadir dalam kemasan baru. Cek toko terdekat, ya!"
BRAND = "@nusantararasa"


@pytest.fixture
def demo_org(settings: Any, sandbox: Any) -> Any:
    """The demo organisation (as ``juru demo`` builds it) and a private sandbox network behind it."""
    settings.SANDBOX_PATH = str(sandbox.path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 is slow on purpose
    return demo.create()


def code_for(username: str) -> str:
    """What the demo person's authenticator shows (computed from the demo's TOTP key).

    A code is accepted once: the demo enrolment may just have used this window's code, so then
    the next window's code is typed (the server accepts one step of drift).
    """
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    assert device.key == demo.demo_totp_key(username)
    drift = 1 if device.last_t >= int(time.time()) // device.step else 0
    return f"{totp(bytes.fromhex(device.key), step=device.step, t0=device.t0, digits=6, drift=drift):06d}"


def sign_in(browser_page: Any, base: str, username: str) -> Any:
    """Password, then authenticator code, as the person would."""
    browser_page.goto(f"{base}/login/")
    browser_page.fill("input[name=username]", username)
    browser_page.fill("input[name=password]", demo.demo_password(username))
    browser_page.click("button[type=submit].btn-primary")
    browser_page.wait_for_url("**/login/verify/")
    browser_page.fill("input[name=token]", code_for(username))
    browser_page.click("button[type=submit].btn-primary")
    browser_page.wait_for_url(f"**/o/{SLUG}/**")
    return browser_page


@pytest.fixture
def other_browser(page: Any) -> Iterator[Callable[[], Any]]:
    """Pages for other people: each in a context of its own (own cookies), like another laptop."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = page.context.browser.new_context(locale="id-ID")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:  # before the live server's data goes: no request may outlive the test
        context.close()


def indonesian(message: str) -> str:
    """What the page says, in the default language, for an English message id."""
    with translation.override("id"):
        return gettext(message)


def write_draft(page: Any, base: str, text: str) -> None:
    """Open the editor, type ``text`` and choose the brand account; the live check answers."""
    page.goto(f"{base}/o/{SLUG}/publishing/new/")
    page.fill("[data-testid=draft-text]", text)
    account = BrandAccount.objects.get(handle=BRAND)
    page.locator(f"input[name=accounts][value='{account.pk}']").check()
    page.wait_for_selector(f"[data-testid='check-{BRAND}']")


def flash(page: Any) -> str:
    """The messages shown after the last action."""
    return " ".join(page.locator(".message, #toasts").all_inner_texts())


def decide(page: Any, base: str, draft: Draft) -> None:
    """Open the draft and approve the step waiting for this person."""
    page.goto(f"{base}/o/{SLUG}/publishing/drafts/{draft.public_id}/")
    page.click("[data-testid=approve]")
    page.wait_for_load_state()
    assert indonesian("Decision recorded.") in flash(page), flash(page)


def test_blocked_then_clean_post_through_two_approvals_to_the_sandbox_once(
    page: Any,
    other_browser: Callable[[], Any],
    live_server: Any,
    demo_org: Any,
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = live_server.url
    sign_in(page, base, "spokesperson")

    # 1. A customer's phone number: highlighted as it is typed, with the reason next to it.
    write_draft(page, base, BLOCKED_TEXT)
    mark = page.locator("#check mark.hit-block")
    mark.first.wait_for()
    assert mark.first.inner_text() == CUSTOMER_PHONE
    assert mark.first.get_attribute("title")  # the explanation on the highlight itself
    hit = page.locator("#check [data-testid=hit]").first
    assert "id-pdp.phone" in hit.inner_text()
    assert page.locator("#check [data-testid=verdict]").first.inner_text().strip() == indonesian("Blocked")
    page.click("[data-testid=save-draft]")
    page.wait_for_url("**/publishing/drafts/*/")
    blocked = Draft.objects.get(text=BLOCKED_TEXT)
    # Submit is not offered while the check blocks; the page says what to do instead.
    assert page.locator("[data-testid=submit]").count() == 0
    assert indonesian("Blocked by the check") in page.locator("[data-testid=blocked-note]").inner_text()
    blocked.refresh_from_db()
    assert blocked.state == DraftState.DRAFT  # not submitted
    assert page.locator("[data-testid=marked] mark").first.inner_text() == CUSTOMER_PHONE

    # 2. A clean post: no highlight, saved and submitted into the account's chain (PR, then compliance).
    write_draft(page, base, CLEAN_TEXT)
    page.wait_for_selector(f"#check [data-testid=verdict]:has-text('{indonesian('Clean')}')")
    assert page.locator("#check mark").count() == 0
    page.click("[data-testid=save-draft]")
    page.wait_for_url("**/publishing/drafts/*/")
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    draft = Draft.objects.get(text=CLEAN_TEXT)
    assert draft.state == DraftState.IN_REVIEW, flash(page)
    assert draft.steps.count() == 2

    # 3. PR approves (the draft still waits for compliance), then compliance approves.
    decide(sign_in(other_browser(), base, "approver"), base, draft)
    draft.refresh_from_db()
    assert draft.state == DraftState.IN_REVIEW
    decide(sign_in(other_browser(), base, "compliance"), base, draft)
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED

    # 4. The spokesperson schedules it, confirming where it goes; without the confirmation it does not go.
    detail = f"{base}/o/{SLUG}/publishing/drafts/{draft.public_id}/"
    page.goto(detail)
    page.click("[data-testid=schedule]")
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED, "scheduled without confirming the target account"
    assert BRAND in flash(page)
    page.locator("[data-testid=schedule-form] input[name=confirm]").check()
    page.click("[data-testid=schedule]")
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == DraftState.SCHEDULED, flash(page)

    page.goto(f"{base}/o/{SLUG}/publishing/queue/")
    post = Post.objects.get(draft=draft)
    assert CLEAN_TEXT[:40] in page.locator(f"#post-{post.public_id}").inner_text()
    page.goto(f"{base}/sandbox/{BRAND}")
    assert page.locator(f"article.post:has-text('{CLEAN_TEXT}')").count() == 0  # nothing before the sweeper

    # 5. The sweeper claims the due post and the publish task sends it (here, in this process).
    queued: list[int] = []
    monkeypatch.setattr(tasks.publish_post, "delay", queued.append)
    assert tasks.sweep_due_posts() == 1
    assert [tasks.publish_post(pk) for pk in queued] == [PostState.PUBLISHED]
    assert tasks.sweep_due_posts() == 0

    page.goto(f"{base}/sandbox/{BRAND}")
    assert page.locator(f"article.post:has-text('{CLEAN_TEXT}')").count() == 1
    assert page.locator(f"article.post:has-text('{CUSTOMER_PHONE}')").count() == 0
    assert len(sandbox.timeline(BRAND)) == 1

    page.goto(detail)
    with translation.override("id"):
        assert page.locator("[data-testid=draft-state]").inner_text().strip() == str(DraftState.PUBLISHED.label)
    page.goto(f"{base}/o/{SLUG}/publishing/calendar/")
    calendar = page.locator("[data-testid=calendar]")
    assert CLEAN_TEXT[:30] in calendar.inner_text()
    page.goto(f"{base}/o/{SLUG}/publishing/queue/")
    assert page.locator("h1").inner_text().strip() == indonesian("Queue")
