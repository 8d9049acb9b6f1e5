"""The inbox in a real browser (Debian's Chromium through Playwright) on the demo organisation.

A wave of food-poisoning complaints arrives on the sandbox and is polled; the head of
communications (owner, crisis-team lead) finds the urgent conversations in the crisis team's inbox
with their due times, sees who of her team takes new ones, opens one, assigns it, writes an
internal note and resolves it. One angry customer (``--scenario critic``) reaches customer care: a
responder answers with a saved reply, fills in ``{nama}``, the check passes, the reply reaches the
sandbox thread, and the customer gets no strike.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command

from juru.accounts.models import Member, Team
from juru.inbox.models import Conversation, EventKind, Status
from juru.listening import tasks
from juru.listening.models import Mention
from juru.moderation.models import Author, Strike
from juru.publishing import tasks as publishing_tasks
from juru.publishing.models import Post, PostState
from juru.sandbox.scenarios import CRITICS
from tests.publishing.test_browser import SLUG, flash, indonesian, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_crisis_lead_assigns_notes_and_resolves_a_complaint(
    page: Any,
    live_server: Any,
    demo_org: Any,
    eager: None,
):
    call_command("sandbox", "traffic", "--scenario", "keracunan", "--count", "12", "--seed", "5")
    tasks.poll_accounts()
    base = live_server.url
    sign_in(page, base, "owner")

    page.click("[data-testid=nav-inbox]")
    page.wait_for_url(f"**/o/{SLUG}/inbox/")
    rows = page.locator("[data-testid=conversation-row]")
    assert rows.count() == 12
    assert all(indonesian("Urgent") in text and "Tim Krisis" in text for text in rows.all_inner_texts())
    assert page.locator("[data-testid=due-ok], [data-testid=due-warning]").count() == 12
    crisis_team = Team.objects.get(organisation=demo_org, name="Tim Krisis")
    # Who of the crisis team takes new conversations, and how many each one has open (folded under the filters).
    page.click("[data-testid=team-availability] summary")
    availability = page.locator(f"[data-testid=team-availability-{crisis_team.public_id}]")
    members = Member.objects.filter(team_memberships__team=crisis_team)
    assert availability.locator("[data-testid=colleague]").count() == members.count() == 3
    for member in members:
        row = availability.locator(f"[data-member='{member.public_id}']").inner_text()
        load = Conversation.objects.filter(assignee=member, status=Status.OPEN).count()
        assert indonesian("Online") in row, row
        assert f"\t{load}\t" in row, row

    page.select_option("select[name=view]", "unassigned")
    page.click("[data-testid=inbox-filters] button[type=submit]")
    page.wait_for_url("**view=unassigned**")
    page.select_option("select[name=view]", "all")
    page.click("[data-testid=inbox-filters] button[type=submit]")
    page.wait_for_url("**view=all**")

    rows.first.locator("a").first.click()
    page.wait_for_url("**/inbox/c/**")
    public_id = page.url.rstrip("/").split("/")[-1]
    assert (
        "keracunan" in page.locator("[data-testid=thread]").inner_text().lower()
        or page.locator("[data-testid=message]").count() == 1
    )

    page.select_option("[data-testid=assign-form] select[name=assignee]", label="Ayu Lestari")
    page.click("[data-testid=assign-form] button[type=submit]:not([value])")
    page.wait_for_load_state()
    assert indonesian("Assignment saved.") in page.locator(".message, #toasts").first.inner_text()
    assert "Ayu Lestari" in page.locator("[data-testid=event-assigned]").last.inner_text()
    page.click("[data-testid=assign-me]")
    page.wait_for_load_state()
    page.fill("[data-testid=note-form] textarea", "Sudah dihubungi lewat DM, menunggu nomor pesanan.")
    page.click("[data-testid=note-form] button[type=submit]")
    page.wait_for_load_state()
    assert "menunggu nomor pesanan" in page.locator("[data-testid=event-note]").inner_text()
    page.click("[data-testid=status-resolved]")
    page.wait_for_load_state()
    assert indonesian("Status changed.") in page.locator(".message, #toasts").first.inner_text()

    conversation = Conversation.objects.get(public_id=public_id)
    assert conversation.status == Status.RESOLVED
    assert conversation.assignee.user.username == "owner"
    assert conversation.due_at is None
    assert conversation.events.filter(kind=EventKind.NOTE).count() == 1


def test_the_critic_gets_a_saved_reply_that_passed_the_check_and_no_strike(
    page: Any, live_server: Any, demo_org: Any, eager: None, sandbox: Any, monkeypatch: pytest.MonkeyPatch
):
    call_command("sandbox", "traffic", "--scenario", "critic", "--account", "nusantararasa_care", "--seed", "3")
    tasks.poll_accounts()
    complaint = Mention.objects.get(organisation=demo_org, author_handle__in=[h for h, _n in CRITICS])
    critic_name = dict(CRITICS)[complaint.author_handle]
    base = live_server.url
    sign_in(page, base, "responder")

    page.click("[data-testid=nav-inbox]")
    page.wait_for_url(f"**/o/{SLUG}/inbox/")
    row = page.locator("[data-testid=conversation-row]", has_text=critic_name)
    assert row.count() == 1
    assert "Layanan Pelanggan" in row.inner_text()  # a complaint is routed to care, never hidden
    row.locator("a").first.click()
    page.wait_for_url("**/inbox/c/**")
    assert complaint.text[:40] in page.locator("[data-testid=thread]").inner_text()

    page.click("[data-testid=picker] summary")
    page.click("[data-testid=pick]:has-text('Sudah dihubungi lewat DM')")
    page.locator("[data-testid=var-nama]").fill(critic_name.split()[0])
    page.wait_for_selector(f"#reply-check [data-testid=verdict]:has-text('{indonesian('Clean')}')")

    queued: list[int] = []
    publish_post = publishing_tasks.publish_post
    # The module attribute, not the task's ``delay``: Celery may hand out a fresh task proxy after other tests.
    monkeypatch.setattr(publishing_tasks, "publish_post", SimpleNamespace(delay=queued.append))
    page.click("[data-testid=send]")
    page.wait_for_load_state()
    assert indonesian("Reply sent to the publishing queue.") in flash(page), flash(page)
    assert [publish_post(pk) for pk in queued] == [PostState.PUBLISHED]

    reply = Post.objects.select_related("draft").get(reply_to=complaint.remote_id)
    assert reply.draft.verdict == "allow"  # the check the responder saw is the one recorded with the reply
    assert reply.body.startswith(f"Halo Kak {critic_name.split()[0]}, kami sudah menghubungi Anda lewat DM")
    root = sandbox.get(complaint.remote_id).root or complaint.remote_id
    answers = [p for p in sandbox.comments(root) if p.reply_to == complaint.remote_id]
    assert [a.text for a in answers] == [reply.body]
    critic = Author.objects.filter(organisation=demo_org, handle=complaint.author_handle).first()
    assert not Strike.objects.filter(mention__author_handle=complaint.author_handle).exists()
    assert critic is None or critic.state == "active"
