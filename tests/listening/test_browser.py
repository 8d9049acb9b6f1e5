"""Listening in a real browser (Debian's Chromium through Playwright) on the demo organisation.

A wave of food-poisoning complaints arrives on the sandbox and is ingested; the head of
communications (owner, crisis-team lead) sees the alert badge, the listening page with its chart,
filters it to negative mentions, opens the alert with its evidence and acknowledges it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from juru.listening import tasks
from juru.listening.models import Alert, AlertStatus
from juru.ops import demo
from tests.publishing.test_browser import indonesian, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = demo.ORG_SLUG


@pytest.fixture
def demo_org(settings: Any, sandbox: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The demo organisation and a private sandbox that ``juru sandbox traffic`` writes to."""
    settings.SANDBOX_PATH = str(sandbox.path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("JURU_DATA_DIR", str(sandbox.path.parent))
    return demo.create()


def test_a_complaint_wave_shows_up_as_an_alert_the_crisis_lead_acknowledges(
    page: Any, live_server: Any, demo_org: Any, eager: None
) -> None:
    call_command("sandbox", "traffic", "--scenario", "keracunan", "--seed", "5")
    tasks.poll_accounts()
    alert = Alert.objects.get(organisation=demo_org)
    base = live_server.url
    sign_in(page, base, "owner")

    page.goto(f"{base}/o/{SLUG}/listening/")
    assert page.locator("[data-testid=alert-badge]").inner_text().strip() == "1"
    assert page.locator("[data-testid=volume-chart] svg rect.negative").count() >= 1
    assert "keracunan" in page.locator("[data-testid=mention-list]").inner_text()

    page.select_option("select[name=sentiment]", "positive")
    page.click("[data-testid=listening-filters] button[type=submit]")
    page.wait_for_url("**sentiment=positive**")
    rows = page.locator("[data-testid=mention-list]").inner_text()
    assert indonesian("No mentions match these filters.") in rows or "keracunan" not in rows

    page.click("[data-testid=listening-tabs] >> text=" + indonesian("Alerts"))
    page.wait_for_url("**/listening/alerts/")
    page.locator("[data-testid=alert-list] a").first.click()
    page.wait_for_url(f"**/alerts/{alert.public_id}/")
    evidence = page.locator("[data-testid=alert-evidence]").inner_text()
    assert str(alert.observed) in evidence
    assert "keracunan" in evidence.lower()
    page.click("text=" + indonesian("Acknowledge"))
    page.wait_for_load_state()
    assert indonesian("Alert acknowledged.") in page.locator(".message, #toasts").first.inner_text()
    assert page.locator("[data-testid=alert-badge]").count() == 0
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
