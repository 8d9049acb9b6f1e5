"""The demo organisation's main brand account approves in two steps: PR, then compliance."""

from __future__ import annotations

from typing import Any

import pytest

from juru.accounts.models import BrandAccount, Member
from juru.ops import demo
from juru.publishing import services
from juru.publishing.models import DraftState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def test_demo_spokesperson_post_goes_through_pr_then_compliance(settings: Any) -> None:
    org = demo.create()
    main = BrandAccount.objects.get(organisation=org, handle="@nusantararasa")
    assert [t.kind for s in main.approval_chain.steps.all() for t in s.teams.all()] == ["pr", "compliance"]
    people = {m.user.username: m for m in Member.objects.filter(organisation=org)}
    draft = services.create_draft(actor=people["spokesperson"], accounts=[main], text="Menu baru hari ini!")
    draft = services.submit_draft(draft, actor=people["spokesperson"])
    draft = services.approve_draft(draft, actor=people["approver"])
    assert draft.state == DraftState.IN_REVIEW
    draft = services.approve_draft(draft, actor=people["compliance"])
    assert draft.state == DraftState.APPROVED
