"""Advocacy in a real browser on the demo organisation: the employee advocate shares in one click."""

from __future__ import annotations

from typing import Any

import pytest

from juru.advocacy.models import Share
from juru.ops import demo
from juru.publishing.models import DraftState
from tests.governance.test_browser import SLUG, demo_org, shot, sign_in  # noqa: F401, F811  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employee_shares_a_library_post_with_the_disclosure_line(
    page: Any,
    live_server: Any,
    demo_org: Any,  # noqa: F811
) -> None:
    sign_in(page, live_server.url, "contributor")
    page.click("[data-testid=nav-advocacy]")
    page.wait_for_url(f"**/o/{SLUG}/advocacy/")
    assert "Advokasi karyawan" in page.inner_text("h1")
    page.click("[data-testid=advocacy-library] [data-testid=share] >> nth=0")
    text = page.input_value("textarea[name=text]")
    assert f"saya bekerja di {demo.ORG_NAME}" in text
    shot(page, "advocacy-share")
    page.click("[data-testid=share-submit]")
    page.wait_for_url(f"**/o/{SLUG}/advocacy/")
    assert "Dibagikan" in page.inner_text(".messages")
    share = Share.objects.get()
    assert share.account.handle == "@dewi.masak"
    assert share.draft.state == DraftState.SCHEDULED
    assert page.locator("[data-testid=my-shares] tbody tr").count() == 1
