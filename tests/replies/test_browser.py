"""Replying in a real browser (Debian's Chromium through Playwright) on the demo organisation.

Two responders of customer care open the same complaint in two browsers. The second one types;
within two seconds the first one sees who is typing. The first one picks the saved reply "we
contacted you by DM", is asked for {nama}, sees the live check pass, and is warned on send that the
other responder was typing; sending anyway queues the reply, which reaches the sandbox thread once.
A reply with the customer's phone number is blocked with the private-channel fix.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from juru.accounts.models import BrandAccount
from juru.connectors.base import Mention as Incoming
from juru.listening import services as listening
from juru.listening.models import Mention
from juru.ops import demo
from juru.publishing import tasks
from juru.publishing.models import Post, PostState
from tests.publishing.test_browser import demo_org, flash, indonesian, other_browser, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = demo.ORG_SLUG
CARE = "@nusantararasa_care"


@pytest.fixture
def complaint(demo_org: Any, sandbox: Any) -> tuple[Mention, str]:  # noqa: F811
    """A customer's complaint under the care account's post, on the sandbox and stored as a mention."""
    account = BrandAccount.objects.get(organisation=demo_org, handle=CARE)
    sandbox.register(CARE, "Nusantara Rasa Peduli")
    post, _ = sandbox.publish(CARE, "Selamat siang, Sobat Rasa!")
    text = "Rendang kemasan saya belum sampai sudah 5 hari, tolong dicek dong"
    comment = sandbox.comment("rina_w", post.id, text, author_name="Rina W")
    incoming = Incoming(comment.id, "rina_w", text, datetime.now(UTC), author_name="Rina W", kind="comment")
    listening.store_mentions(demo_org, account, [incoming])
    return Mention.objects.get(remote_id=comment.id), str(post.id)


def test_two_responders_see_each_other_and_the_reply_goes_out_once(
    page: Any,
    other_browser: Callable[[], Any],  # noqa: F811
    live_server: Any,
    complaint: tuple[Mention, str],
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mention, root = complaint
    base = live_server.url
    url = f"{base}/o/{SLUG}/replies/to/{mention.public_id}/"
    ayu = sign_in(page, base, "responder")
    ayu.goto(url)
    assert "rendang kemasan" in ayu.locator("[data-testid=thread]").inner_text().lower()
    dimas = sign_in(other_browser(), base, "spokesperson")
    dimas.goto(url)

    # Dimas types; Ayu sees it within two seconds.
    dimas.locator("[data-testid=reply-text]").press_sequentially("Halo Kak Rina, kami", delay=50)
    started = time.monotonic()
    typing = indonesian("%(name)s is typing…") % {"name": "Dimas Pratama"}
    ayu.locator(f"[data-testid=presence-person]:has-text('{typing}')").wait_for(timeout=2_000)
    assert time.monotonic() - started < 2.0 + 0.5  # the typing itself took ~1 s before the clock started

    # A phone number in the reply is blocked, and the fix says to move to a private channel.
    ayu.fill("[data-testid=reply-text]", "Halo Kak Rina, sudah kami telepon ke 0812-3456-7890 ya")
    ayu.locator("#reply-check [data-testid=fix]").wait_for()
    assert "kanal pribadi" in ayu.locator("#reply-check [data-testid=fix]").inner_text()

    # Ayu picks the saved reply, fills {nama}; the check passes.
    ayu.click("[data-testid=picker] summary")
    ayu.click("[data-testid=pick]:has-text('Sudah dihubungi lewat DM')")
    ayu.locator("[data-testid=var-nama]").fill("Rina")
    ayu.wait_for_selector(f"#reply-check [data-testid=verdict]:has-text('{indonesian('Clean')}')")

    # Sending warns that Dimas was typing; sending anyway queues the reply.
    queued: list[int] = []
    publish_post = tasks.publish_post
    # The module attribute, not the task's ``delay``: Celery may hand out a fresh task proxy after other tests.
    monkeypatch.setattr(tasks, "publish_post", SimpleNamespace(delay=queued.append))
    ayu.click("[data-testid=send]")
    warning = ayu.locator("[data-testid=overlap-warning]")
    warning.wait_for()
    assert "Dimas Pratama" in warning.inner_text()
    assert queued == []
    ayu.click("[data-testid=send-anyway]")
    ayu.wait_for_url(url)
    assert indonesian("Reply sent to the publishing queue.") in flash(ayu), flash(ayu)
    assert [publish_post(pk) for pk in queued] == [PostState.PUBLISHED]

    answers = [c for c in sandbox.comments(root) if c.reply_to == mention.remote_id]
    assert len(answers) == 1, [(c.author, c.text) for c in sandbox.comments(root)]
    assert answers[0].text.startswith("Halo Kak Rina, kami sudah menghubungi Anda lewat DM")
    assert Post.objects.get(reply_to=mention.remote_id).attempts == 1
    ayu.goto(url)
    assert "Halo Kak Rina" in ayu.locator("[data-testid=team-replies]").inner_text()
