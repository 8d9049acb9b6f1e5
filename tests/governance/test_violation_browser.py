"""Violations in a real browser on the demo organisation: the owner reports a violation by the demo
spokesperson, investigates and decides a 7-day suspension from the ladder; the spokesperson's publish
right is gone at once (and back after 7 days), and they read the decision from their overview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from juru.accounts.access import eligibility
from juru.accounts.models import BrandAccount, Member
from juru.governance.models import ConsequenceStep, ViolationCase
from juru.ops import demo
from tests.governance.test_browser import SLUG, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_org(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 is slow on purpose
    return demo.create()


def test_a_seven_day_suspension_from_a_case_silences_the_spokesperson_until_it_ends(
    page: Any, chromium: Any, live_server: Any, demo_org: Any
) -> None:
    spokesperson = Member.objects.get(organisation=demo_org, user__username="spokesperson")
    main = BrandAccount.objects.get(organisation=demo_org, handle="@nusantararasa")
    seven = ConsequenceStep.objects.get(organisation=demo_org, consequence="suspension", days=7)
    assert eligibility(spokesperson, "publish", main).allowed

    sign_in(page, live_server.url, "owner")
    page.click("[data-testid=nav-violations]")
    page.wait_for_url("**/governance/violations/")
    assert page.locator("[data-testid=case-list] tr[data-case]").count() == 2  # the demo's cases
    page.click("[data-testid=report-violation]")
    page.select_option("select[name=member]", str(spokesperson.public_id))
    page.fill("input[name=rules]", "core.confidential")
    page.select_option("select[name=severity]", "critical")
    page.fill("textarea[name=content]", "Harga baru Q3 naik 10% mulai Juli, info dari dalam ya!")
    page.fill("textarea[name=reason]", "Membocorkan harga baru Q3 di @nusantararasa")
    page.click("[data-testid=case-form] button[type=submit]")
    page.wait_for_url("**/governance/violations/*/")
    page.click("[data-testid=move-investigating]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=case-state]") == "Diselidiki"
    page.check(f"input[name=step][value='{seven.public_id}']")
    page.fill("textarea[name=note]", "Pelanggaran kerahasiaan berat: penangguhan 7 hari.")
    shot(page, "violation-decide")
    page.click("[data-testid=decide]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=case-state]") == "Diputuskan"
    assert "tidak boleh berbicara hingga" in page.inner_text("[data-testid=case-decision]")

    case = ViolationCase.objects.get(member=spokesperson, consequence="suspension")
    assert eligibility(spokesperson, "publish", main).codes == ["suspended"]
    assert case.suspension is not None
    assert eligibility(spokesperson, "publish", main, when=case.suspension.ends_at + timedelta(minutes=1)).allowed
    assert not eligibility(spokesperson, "publish", main, when=timezone.now() + timedelta(days=6)).allowed

    other = chromium.new_context(locale="id-ID").new_page()
    sign_in(other, live_server.url, "spokesperson")
    other.goto(f"{live_server.url}/o/{SLUG}/")
    assert "Ditangguhkan sampai" in other.inner_text("main")
    other.click("[data-todo=case]")
    other.wait_for_url(f"**/governance/violations/{case.public_id}/")
    assert "Pelanggaran kerahasiaan berat" in other.inner_text("[data-testid=case-decision]")
    assert other.locator("[data-testid=case-notes]").count() == 0
    other.click("[data-testid=case-seen]")
    other.wait_for_load_state()
    other.goto(f"{live_server.url}/o/{SLUG}/")
    assert other.locator("[data-todo=case]").count() == 0
    other.context.close()
