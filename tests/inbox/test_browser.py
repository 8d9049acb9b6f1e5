"""The inbox in a real browser (Debian's Chromium through Playwright) on the demo organisation.

A wave of food-poisoning complaints arrives on the sandbox and is polled; the head of
communications (owner, crisis-team lead) finds the urgent conversations in the inbox with their due
times, filters to her own, opens one, assigns it to herself, writes an internal note and resolves it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from juru.inbox.models import Conversation, EventKind, Status
from juru.listening import tasks
from tests.publishing.test_browser import SLUG, indonesian, sign_in

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
    assert indonesian("Urgent") in rows.first.inner_text()
    assert page.locator("[data-testid=due-ok], [data-testid=due-warning]").count() == 12

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
