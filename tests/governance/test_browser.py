"""Governance in a real browser (Debian's Chromium through Playwright) on the demo organisation.

The demo member ``marketer`` may not publish: the overview says why and links to the fix. They sign
the policy (full name, confirmation, password), fail one quiz and are sent back to the section it
tests, pass the three modules, and the overview then shows them eligible on @nusantararasa. The
owner edits the policy beside its preview, reviews the diff and publishes a material version: a
signed member is asked to sign again within the grace period.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts.access import eligibility
from juru.accounts.models import BrandAccount, Member
from juru.governance import queries
from juru.governance.models import TrainingModule
from juru.ops import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = demo.ORG_SLUG
# Set JURU_SCREENSHOTS=/some/dir to keep a screenshot of each page while working on the layout.
SHOTS = os.environ.get("JURU_SCREENSHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"governance-{name}.png"), full_page=True)


@pytest.fixture
def demo_org(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 is slow on purpose
    return demo.create()


def code_for(username: str) -> str:
    """The demo person's current authenticator code (the next window's if this one was just used)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    drift = 1 if device.last_t >= int(time.time()) // device.step else 0
    return f"{totp(bytes.fromhex(device.key), step=device.step, t0=device.t0, digits=6, drift=drift):06d}"


def sign_in(page: Any, base: str, username: str) -> Any:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.demo_password(username))
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/login/verify/")
    page.fill("input[name=token]", code_for(username))
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"**/o/{SLUG}/**")
    return page


def answer(page: Any, module: TrainingModule, wrong: int | None = None) -> None:
    """Tick the right choice of every question (a wrong one for question ``wrong``) and send."""
    for number, question in enumerate(module.quiz, start=1):
        choice = (question["answer"] + 1) % len(question["choices"]["id"]) if number == wrong else question["answer"]
        page.check(f"input[name=q{number}][value='{choice}']")
    page.click("[data-testid=quiz] button[type=submit]")
    page.wait_for_load_state()


def test_marketer_signs_and_trains_then_may_publish(page: Any, live_server: Any, demo_org: Any) -> None:
    marketer = Member.objects.get(organisation=demo_org, user__username="marketer")
    main = BrandAccount.objects.get(organisation=demo_org, handle="@nusantararasa")
    sign_in(page, live_server.url, "marketer")
    page.goto(f"{live_server.url}/o/{SLUG}/")
    assert "Versi kebijakan yang berlaku belum ditandatangani" in page.inner_text("main")
    shot(page, "overview-not-eligible")

    page.click("[data-fix=policy_not_signed] >> nth=0")
    page.wait_for_url("**/governance/policy/sign/")
    assert page.locator("[data-testid=policy-document] h2").count() == 9
    shot(page, "sign")
    page.fill("input[name=full_name]", "Fajar Nugroho")
    page.check("input[name=confirm]")
    page.fill("input[name=password]", demo.demo_password("marketer"))
    page.click("[data-testid=sign-form] button[type=submit]")
    page.wait_for_url(f"**/o/{SLUG}/")
    assert "Anda menandatangani versi 1" in page.inner_text("main")
    assert "Versi kebijakan yang berlaku belum ditandatangani" not in page.inner_text("main")

    page.click("[data-fix=training_missing] >> nth=0")
    page.wait_for_url("**/governance/training/")
    modules = list(TrainingModule.objects.filter(organisation=demo_org).order_by("code"))
    first = modules[0]
    page.click(f"tr[data-module={first.code}] a >> nth=0")
    answer(page, first, wrong=2)
    shot(page, "quiz-failed")
    reread = page.locator("[data-testid=reread]")
    assert reread.is_visible()
    tested = first.quiz[1]["section"]
    assert reread.locator(f"a[href='#section-{tested}']").count() == 1
    answer(page, first)
    assert "Lulus dengan nilai 100%" in page.inner_text("main")
    for module in modules[1:]:
        page.click(f"tr[data-module={module.code}] a >> nth=0")
        answer(page, module)
    assert page.locator("td .cell-yes").count() == 3
    shot(page, "training-done")
    assert queries.attempts_on(marketer, first) == 2

    page.goto(f"{live_server.url}/o/{SLUG}/")
    main_row = page.locator("tr", has_text="@nusantararasa ·").first
    assert "✓" in main_row.locator("td").nth(1).inner_text()
    assert page.locator("[data-testid=todos]").count() == 0
    shot(page, "overview-eligible")
    assert eligibility(marketer, "publish", main).allowed


def test_owner_publishes_a_material_version_and_members_sign_again(page: Any, live_server: Any, demo_org: Any) -> None:
    spokesperson = Member.objects.get(organisation=demo_org, user__username="spokesperson")
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/o/{SLUG}/governance/policy/")
    page.click("[data-testid=edit-policy]")
    page.wait_for_url("**/governance/policy/edit/")
    page.locator("[data-testid=preview-id] h2").nth(8).wait_for()  # the preview loads beside the text
    assert page.locator("[data-testid=preview-id] h2").count() == 9
    shot(page, "editor")
    body = page.locator("textarea[name=body_id]")
    body.fill(body.input_value() + "\n## Media baru\nTikTok juga termasuk media sosial.\n")
    page.locator("[data-testid=preview-id] h2", has_text="Media baru").wait_for()
    page.fill("textarea[name=competitor_names]", "Rasa Prima\nDapur Jaya\nSambal Juara\nWarung Sebelah")
    page.click("[data-testid=review-publish]")
    page.wait_for_url("**/governance/policy/publish/")
    diff = page.locator("[data-testid=publish-diff]")
    assert "TikTok juga termasuk media sosial." in diff.locator(".added").all_inner_texts()
    assert "Warung Sebelah" in diff.inner_text()
    shot(page, "publish-diff")
    page.fill("input[name=grace_days]", "14")
    page.click("[data-testid=publish]")
    page.wait_for_url("**/governance/policy/versions/**")
    shot(page, "version")
    current = queries.current_policy(demo_org)
    assert current is not None
    assert (current.number, current.material) == (2, True)
    assert queries.current_org_config(demo_org).competitor_names[-1] == "Warung Sebelah"

    state = queries.sign_state(spokesperson)
    assert state.needs_signature
    assert state.counts  # within the 14 days, the earlier signature still counts
    assert [todo.kind for todo in queries.member_todos(spokesperson)] == ["sign"]
