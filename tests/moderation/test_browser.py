"""Moderation in a real browser (Debian's Chromium through Playwright) on the demo organisation.

The ``spam`` scenario reaches the sandbox and is ingested: the demo policy bans the spammer at the
third strike and blocks them on the network, while the ``critic`` scenario gives no strike. The
customer-care responder (who holds the ``moderate`` grant) finds the ban in the queue, reads the
evidence on the author's page and lifts the ban.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from juru.listening import tasks as listening_tasks
from juru.moderation import tasks
from juru.moderation.models import ActionKind, ActionState, Author, AuthorState, ModerationAction
from juru.moderation.services import actions
from juru.ops import demo
from juru.sandbox.scenarios import SPAM
from tests.publishing.test_browser import indonesian, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = demo.ORG_SLUG
SPAMMER = "promo_gacor88"
CRITIC = "pelanggan.kecewa"


@pytest.fixture
def demo_org(settings: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The demo organisation, a private sandbox that ``juru sandbox traffic`` writes to, tasks run at once."""
    settings.SANDBOX_PATH = str(sandbox.path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("JURU_DATA_DIR", str(sandbox.path.parent))
    for task in (listening_tasks.poll_account, listening_tasks.deliver_alert, tasks.perform_action):
        monkeypatch.setattr(task, "delay", task)
    return demo.create()


def test_spam_is_banned_critic_is_not_and_a_moderator_lifts_the_ban(
    page: Any, live_server: Any, demo_org: Any, sandbox: Any
) -> None:
    call_command("sandbox", "traffic", "--scenario", "spam", "--seed", "3")
    call_command("sandbox", "traffic", "--scenario", "critic", "--seed", "3")
    listening_tasks.poll_accounts()
    spammer = Author.objects.get(organisation=demo_org, handle=SPAMMER)
    assert spammer.state == AuthorState.BANNED
    assert sandbox.is_blocked("nusantararasa", SPAMMER)
    assert not Author.objects.get(organisation=demo_org, handle=CRITIC).strikes.exists()

    base = live_server.url
    sign_in(page, base, "responder")
    page.goto(f"{base}/o/{SLUG}/")
    page.click("[data-testid=nav-moderation]")
    page.wait_for_url(f"**/o/{SLUG}/moderation/")
    recent = page.locator("[data-testid=recent-actions]").inner_text()
    assert f"@{SPAMMER}" in recent
    assert indonesian("Block author") in recent
    assert CRITIC not in recent

    page.locator("[data-testid=recent-actions] a", has_text=SPAMMER).first.click()
    page.wait_for_url(f"**/authors/{spammer.public_id}/")
    assert page.locator("[data-testid=author-state]").inner_text().strip() == indonesian("Banned")
    strikes = page.locator("[data-testid=strikes]").inner_text()
    assert page.locator("[data-testid=strike]").count() >= 3
    assert indonesian("online gambling promotion") in strikes
    assert SPAM[0][:30] in strikes

    page.fill("input[name=reason]", "Akun sudah diverifikasi")
    page.click("[data-testid=unban]")
    page.wait_for_load_state()
    assert indonesian("Ban lifted.") in page.locator(".message, #toasts").first.inner_text()
    assert page.locator("[data-testid=author-state]").inner_text().strip() == indonesian("Active")
    # The worker carries the unblock out (the live server's thread may hand it to the broker instead).
    for action in ModerationAction.objects.filter(kind=ActionKind.UNBLOCK, state=ActionState.PENDING):
        actions.perform(action.pk)
    assert ModerationAction.objects.get(kind=ActionKind.UNBLOCK).state == ActionState.DONE
    assert not sandbox.is_blocked("nusantararasa", SPAMMER)


def test_the_queue_and_the_policy_page_in_english(page: Any, live_server: Any, demo_org: Any) -> None:
    base = live_server.url
    sign_in(page, base, "owner")
    page.goto(f"{base}/o/{SLUG}/moderation/")
    page.click("[data-testid=language-switcher] button[value=en]")
    page.wait_for_load_state()
    assert "Suggested bans" in page.locator("[data-testid=suggested-bans]").inner_text()
    page.click("[data-testid=moderation-tabs] >> text=Moderation policy")
    page.wait_for_url("**/moderation/policy/")
    page.fill("input[name=threshold]", "5")
    page.click("[data-testid=moderation-policy-form] button[type=submit]")
    page.wait_for_load_state()
    assert "Moderation policy saved." in page.locator(".message, #toasts").first.inner_text()
    assert page.locator("input[name=threshold]").input_value() == "5"
