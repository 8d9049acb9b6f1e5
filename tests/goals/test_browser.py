"""Goals and reports in a real browser (Debian's Chromium through Playwright) on the demo organisation.

The head of communications opens the dashboard from the navigation (KPIs and two charts from the
demo's weeks of activity), sets a target on an objective, opens last month's report with its pilot
programme and downloads it as PDF; a viewer sees the same dashboard without the editing controls.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from juru.goals import queries
from juru.goals.models import Objective
from juru.ops import demo
from tests.publishing.test_browser import indonesian, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = demo.ORG_SLUG
# Set JURU_SCREENSHOTS=/some/dir to keep a screenshot of each page while working on the layout.
SHOTS = os.environ.get("JURU_SCREENSHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"goals-{name}.png"), full_page=True)


@pytest.fixture
def demo_org(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return demo.create()


def test_owner_reads_the_dashboard_sets_a_target_and_opens_the_report(
    page: Any, live_server: Any, demo_org: Any
) -> None:
    base = live_server.url
    sign_in(page, base, "owner")
    page.click("[data-testid=nav-goals]")
    page.wait_for_url(f"**/o/{SLUG}/goals/")
    kpis = page.locator("[data-testid=report-kpis]").inner_text()
    assert indonesian("Posts published") in kpis
    assert page.locator("[data-testid=posts-chart] svg rect").count() >= 1
    assert page.locator("[data-testid=mentions-chart] svg rect").count() >= 1
    shot(page, "dashboard")

    objective = Objective.objects.get(organisation=demo_org, function="marketing")
    page.click(f"text={objective.title}")
    page.wait_for_url(f"**/objectives/{objective.public_id}/")
    page.select_option("[data-testid=target-form] select[name=kpi]", "flagged_drafts")
    page.fill("[data-testid=target-form] input[name=value]", "2")
    page.click("[data-testid=target-form] button[type=submit]")
    page.wait_for_load_state()
    assert indonesian("Target saved.") in page.locator(".message, #toasts").first.inner_text()
    assert indonesian("Flagged drafts") in page.locator("[data-testid=targets]").inner_text()
    shot(page, "objective")

    page.goto(f"{base}/o/{SLUG}/goals/")
    page.click("[data-testid=month-previous]")
    page.click("[data-testid=open-report]")
    page.wait_for_url("**/goals/report/?month=*")
    last = queries.previous_month(queries.this_month())
    assert f"month={last:%Y-%m}" in page.url
    assert "Pilot juru bicara Humas" in page.locator("[data-testid=report-pilots]").inner_text()
    shot(page, "report")
    href = page.get_attribute("[data-testid=report-pdf-en]", "href")
    pdf = page.request.get(base + href, timeout=90_000)  # the signed-in session; WeasyPrint is slow on a busy machine
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_viewer_sees_the_dashboard_without_editing(page: Any, live_server: Any, demo_org: Any) -> None:
    base = live_server.url
    sign_in(page, base, "responder")
    page.goto(f"{base}/o/{SLUG}/goals/")
    assert page.locator("[data-testid=report-kpis]").count() == 1
    assert page.locator("[data-testid=goals-tabs]").inner_text().count(indonesian("New objective")) == 0
