"""A suspension that starts and ends while a post waits for approval: the draft keeps its place in the
chain, approvers decide as usual, the suspended author cannot schedule it (the refusal says until when),
and once the suspension ends on time they schedule it without submitting it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from juru.accounts.exceptions import NotEligible
from juru.governance import services as governance
from juru.publishing import services
from juru.publishing.models import DraftState, PostState
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def test_a_suspension_that_ends_while_a_post_waits_for_approval(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = services.submit_draft(
        services.create_draft(actor=cast.author, accounts=[cast.brand], text="Promo akhir pekan"), actor=cast.author
    )
    assert draft.state == DraftState.IN_REVIEW
    case = governance.open_case(actor=cast.owner, member=cast.author, source="manual", reason="Komentar kasar")
    seven = governance.add_ladder_step(actor=cast.owner, consequence="suspension", days=7)
    governance.decide_case(actor=cast.owner, case=case, step=seven, note="Tujuh hari")

    draft = services.approve_draft(draft, actor=cast.pr1)  # the text is judged, not its author's standing
    assert draft.state == DraftState.APPROVED
    with translation.override("en"), pytest.raises(NotEligible) as refused:
        services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    assert refused.value.eligibility.codes == ["suspended"]
    assert "Suspended until" in str(refused.value.eligibility.reasons[0].message)
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED
    assert draft.posts.get().state == PostState.WAITING

    later = timezone.now() + timedelta(days=7, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    draft = services.schedule_draft(draft, actor=cast.author, confirm_accounts=[cast.brand.handle])
    assert draft.state == DraftState.SCHEDULED
    assert draft.posts.get().state == PostState.SCHEDULED
