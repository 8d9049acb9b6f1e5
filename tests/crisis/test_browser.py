"""Crisis mode in a real browser (Debian's Chromium through Playwright) on the demo organisation.

A wave of food-poisoning complaints raises an alert; the head of communications (owner, crisis-team
lead) declares a crisis from the alert page. The banner appears on every page, the scheduled
promotion stays unsent, and after the end she releases it from the review list, then reads the report.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from juru.accounts.models import BrandAccount, Member
from juru.crisis.models import Crisis, HeldState
from juru.listening import tasks
from juru.listening.models import Alert
from juru.ops import demo
from juru.publishing.models import PostState
from tests.crisis.factories import queued_post
from tests.crisis.helpers import run_due
from tests.publishing.test_browser import indonesian, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = demo.ORG_SLUG
PROMO = "Promo akhir pekan: beli 2 nasi kotak rendang gratis 1!"


@pytest.fixture
def demo_org(settings: Any, sandbox: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The demo organisation and a private sandbox that ``juru sandbox traffic`` writes to."""
    settings.SANDBOX_PATH = str(sandbox.path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("JURU_DATA_DIR", str(sandbox.path.parent))
    return demo.create()


def test_the_crisis_lead_declares_from_the_alert_and_releases_the_held_post_after_the_end(
    page: Any, live_server: Any, demo_org: Any, sandbox: Any, eager: None, announce: None
) -> None:
    call_command("sandbox", "traffic", "--scenario", "keracunan", "--seed", "5")
    tasks.poll_accounts()
    alert = Alert.objects.get(organisation=demo_org)  # exactly one alert for the wave
    assert alert.sentiment == "negative"
    brand = BrandAccount.objects.get(organisation=demo_org, handle="@nusantararasa")
    promo = queued_post(Member.objects.get(organisation=demo_org, user__username="spokesperson"), brand, PROMO)
    base = live_server.url
    sign_in(page, base, "owner")

    page.goto(f"{base}/o/{SLUG}/listening/alerts/{alert.public_id}/")
    assert page.locator("[data-testid=crisis-banner]").count() == 0
    page.click("[data-testid=declare-from-alert]")
    page.wait_for_url("**/crisis/declare/**")
    assert page.input_value("input[name=severity]") == str(alert.severity)
    page.fill("textarea[name=description]", "Gelombang keluhan keracunan nasi kotak di Jakarta dan Bekasi.")
    page.click("[data-testid=declare-form] button[type=submit]")
    crisis = Crisis.objects.get(ended_at__isnull=True)
    page.wait_for_url(f"**/crisis/{crisis.public_id}/")
    assert crisis.alert == alert
    assert PROMO in page.locator("[data-testid=paused-posts]").inner_text()

    for path in ("", "publishing/", "listening/", "members/"):
        page.goto(f"{base}/o/{SLUG}/{path}")
        banner = page.locator("[data-testid=crisis-banner]")
        assert indonesian("Open the crisis") in banner.inner_text(), path
    assert run_due() == []  # the sweeper leaves the promotion alone
    assert sandbox.timeline("@nusantararasa") == []

    page.goto(f"{base}/o/{SLUG}/crisis/{crisis.public_id}/")
    page.fill("textarea[name=summary]", "Batch 12 ditarik; klarifikasi terbit.")
    page.click("[data-testid=end-form] button[type=submit]")
    page.wait_for_url("**/review/")
    assert page.locator("[data-testid=crisis-banner]").count() == 0
    assert PROMO in page.locator("[data-testid=held-list]").inner_text()
    assert run_due() == []  # ended, but nothing goes out until someone releases it
    page.click("[data-testid=held-list] button[value=release]")
    page.wait_for_load_state()
    assert indonesian("Released: the post goes out at the next sweep.") in page.locator(".message").inner_text()
    assert crisis.held_posts.get().state == HeldState.RELEASED
    assert run_due() == [promo.pk]
    promo.refresh_from_db()
    assert promo.state == PostState.PUBLISHED
    assert [p.text for p in sandbox.timeline("@nusantararasa")] == [PROMO]

    page.goto(f"{base}/o/{SLUG}/crisis/{crisis.public_id}/report/")
    timeline = page.locator("[data-testid=report-timeline]").inner_text()
    for moment in ("Crisis declared", "Scheduled queue paused"):
        assert indonesian(moment) in timeline
    assert page.locator("[data-testid=report-volumes] svg rect.negative").count() >= 1
    page.goto(f"{base}/o/{SLUG}/crisis/")
    assert page.locator("[data-testid=crisis-history] tr").count() == 3  # header, this crisis, last month's
