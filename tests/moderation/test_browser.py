"""Moderation in a real browser (Debian's Chromium through Playwright) on the demo organisation.

The ``spam`` scenario reaches the sandbox and is ingested: the demo policy bans the spammer at the
third strike and blocks them on the network, while the ``critic`` scenario gives no strike. The
customer-care responder (who holds the ``moderate`` grant) finds the ban in the queue, reads the
evidence on the author's page and lifts the ban. The spammer, writing again on the sandbox, is told
where to appeal, appeals on the public page, and reads the moderator's answer there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from juru.listening import tasks as listening_tasks
from juru.moderation import tasks
from juru.moderation.models import ActionKind, ActionState, Author, AuthorState, ModerationAction
from juru.moderation.services import actions
from juru.ops import demo
from tests.publishing.test_browser import indonesian, other_browser, sign_in  # noqa: F401

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
    # Two spam comments: two strikes, no ban yet; the third one bans (the demo policy bans automatically).
    call_command("sandbox", "traffic", "--scenario", "spam", "--count", "2", "--seed", "3")
    listening_tasks.poll_accounts()
    spammer = Author.objects.get(organisation=demo_org, handle=SPAMMER)
    assert (spammer.state, spammer.strikes.count()) == (AuthorState.ACTIVE, 2)
    assert not sandbox.is_blocked("nusantararasa", SPAMMER)
    call_command("sandbox", "traffic", "--scenario", "spam", "--count", "1", "--seed", "4")
    call_command("sandbox", "traffic", "--scenario", "critic", "--seed", "3")
    listening_tasks.poll_accounts()
    spammer.refresh_from_db()
    assert (spammer.state, spammer.strikes.count()) == (AuthorState.BANNED, 3)
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
    for strike in spammer.strikes.select_related("mention"):  # each strike shows its comment's link
        [link] = re.findall(r"https://\S+", strike.mention.text)
        assert link in strikes

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


def test_a_banned_spammer_appeals_from_the_sandbox_and_reads_the_answer(
    page: Any,
    live_server: Any,
    demo_org: Any,
    sandbox: Any,
    other_browser: Callable[[], Any],  # noqa: F811
) -> None:
    root, _fault = sandbox.publish("nusantararasa", "Selamat pagi dari Nusantara Rasa!")
    call_command("sandbox", "traffic", "--scenario", "spam", "--seed", "3")
    listening_tasks.poll_accounts()
    spammer = Author.objects.get(organisation=demo_org, handle=SPAMMER)
    assert spammer.state == AuthorState.BANNED
    base = live_server.url

    # On the sandbox, the banned author tries to comment again: refused, and told where to appeal.
    visitor = other_browser()
    visitor.goto(f"{base}/sandbox/p/{root.id}")
    visitor.locator("[data-testid=visitor-form] input[name=handle]").fill(SPAMMER)
    visitor.locator("[data-testid=visitor-form] textarea").fill("Kenapa saya diblokir? Saya cuma berbagi info")
    visitor.locator("[data-testid=visitor-form] button[type=submit]").click()
    visitor.wait_for_load_state()
    notice = visitor.locator("[data-testid=appeal-notice]")
    assert "Nusantara Rasa" in notice.inner_text()
    visitor.click("[data-testid=appeal-notice-link]")
    visitor.wait_for_url("**/appeal/**")
    assert SPAMMER in visitor.locator("[data-testid=appeal-standing]").inner_text()

    visitor.click("[data-testid=appeal-send]")  # empty: refused with a clear message, nothing sent
    visitor.wait_for_load_state()
    form = visitor.locator("[data-testid=appeal-form]")
    assert indonesian("Write why the decision should be changed.") in form.inner_text()
    visitor.fill("textarea[name=statement]", "Akun saya diretas minggu lalu, sudah ganti kata sandi 🙏")
    visitor.click("[data-testid=appeal-send]")
    visitor.wait_for_load_state()
    assert visitor.locator("[data-testid=appeal-waiting]").count() == 1

    # The moderator finds it in the queue and accepts it.
    sign_in(page, base, "responder")
    page.goto(f"{base}/o/{SLUG}/moderation/")
    appeals = page.locator("[data-testid=open-appeals]")
    assert indonesian("sent by the author") in appeals.inner_text()
    appeals.locator("a", has_text=SPAMMER).click()
    page.wait_for_url(f"**/authors/{spammer.public_id}/")
    page.select_option("[data-testid=decide-appeal] select[name=decision]", "accept")
    page.fill("[data-testid=decide-appeal] textarea[name=note]", "Akun sudah aman kembali")
    page.click("[data-testid=decide-appeal] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=author-state]").inner_text().strip() == indonesian("Active")
    for action in ModerationAction.objects.filter(state=ActionState.PENDING):
        actions.perform(action.pk)
    assert not sandbox.is_blocked("nusantararasa", SPAMMER)

    visitor.reload()
    assert visitor.locator("[data-testid=appeal-accepted]").count() == 1
    assert "Akun sudah aman kembali" in visitor.locator("[data-testid=appeal-history]").inner_text()
