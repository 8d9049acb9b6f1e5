"""Drafts through the state machine: submit, approve, reject, request changes, edit, expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from juru.accounts.exceptions import NotEligible
from juru.audit.models import AuditEvent
from juru.governance.models import Suspension, ViolationCase
from juru.publishing import services
from juru.publishing.exceptions import (
    AlreadyDecidedError,
    InvalidInputError,
    InvalidTransitionError,
    NotAnApproverError,
    NotSubmittableError,
    VersionConflictError,
)
from juru.publishing.models import DraftState, ReviewStep, ScanDecision, StepState
from tests.publishing.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]


def draft_for(cast: Cast, text: str = "Selamat pagi!", accounts=None, **kw):
    return services.create_draft(actor=cast.author, accounts=accounts or [cast.brand], text=text, **kw)


def steps(draft) -> list[str]:
    return list(ReviewStep.objects.filter(draft=draft, round=draft.review_round).values_list("kind", flat=True))


def test_create_records_a_decision_per_account(cast: Cast) -> None:
    draft = draft_for(cast, "Halo WARNME", accounts=[cast.brand, cast.second_brand])
    decisions = ScanDecision.objects.filter(draft=draft)
    assert decisions.count() == 2
    d = decisions.first()
    assert d.verdict == "warn"
    assert d.revision == "sha256:test"
    assert d.input_digest.startswith("sha256:")
    assert d.context["account"] == "brand"
    assert d.context["role"] == "spokesperson"
    assert draft.verdict == "warn"


def test_clean_brand_draft_goes_to_the_default_pr_step(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    assert draft.state == DraftState.IN_REVIEW
    assert steps(draft) == ["pr"]


def test_configured_chain_then_compliance_for_require_approval(cast: Cast) -> None:
    services.configure_default_chains(cast.org, cast.owner)
    draft = services.submit_draft(draft_for(cast, "Produk REVIEWME"), actor=cast.author)
    assert steps(draft) == ["account", "account", "compliance"]


def test_legal_pack_hit_and_crisis_add_steps(cast: Cast) -> None:
    cast.org.crisis_active = True
    cast.org.save()
    draft = services.submit_draft(draft_for(cast, "Pasti LEGALME"), actor=cast.author)
    assert steps(draft) == ["pr", "compliance", "legal", "crisis"]


def test_warnings_must_be_acknowledged_each(cast: Cast) -> None:
    draft = draft_for(cast, "WARNME dan USLEGAL")
    with pytest.raises(NotSubmittableError, match="2"):
        services.submit_draft(draft, actor=cast.author, acknowledged=[])
    keys = [f"{h['rule']}@{h['start']}-{h['end']}" for h in draft.decisions.first().hits]
    with pytest.raises(NotSubmittableError):
        services.submit_draft(draft, actor=cast.author, acknowledged=keys[:1])
    draft = services.submit_draft(draft, actor=cast.author, acknowledged=keys)
    assert draft.state == DraftState.IN_REVIEW
    assert sorted(draft.acknowledged) == sorted(keys)


def test_blocked_draft_cannot_be_submitted_and_says_why(cast: Cast) -> None:
    with pytest.raises(NotSubmittableError, match="core.confidential"):
        services.submit_draft(draft_for(cast, "Kode BLOCKME"), actor=cast.author)


def test_owner_override_opens_a_violation_case_and_adds_compliance(cast: Cast) -> None:
    draft = draft_for(cast, "Kode BLOCKME")
    draft = services.override_block(draft, actor=cast.owner, reason="Sudah dikonfirmasi legal")
    case = ViolationCase.objects.get(draft=draft)
    assert case.member == cast.author
    assert case.rules == ["core.confidential"]
    assert case.severity == "critical"
    assert (case.source, case.state, case.content) == ("override", "open", "Kode BLOCKME")
    assert AuditEvent.objects.filter(action="violation.open", object_id=str(case.public_id)).exists()
    assert draft.state == DraftState.IN_REVIEW
    assert steps(draft) == ["pr", "compliance"]
    assert AuditEvent.objects.filter(action="publishing.draft.override").count() == 1


def test_only_owners_override(cast: Cast) -> None:
    with pytest.raises(NotAnApproverError):
        services.override_block(draft_for(cast, "BLOCKME"), actor=cast.pr1, reason="x")


def test_personal_block_cannot_be_overridden(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.employee, accounts=[cast.personal], text="BLOCKME")
    with pytest.raises(NotSubmittableError):
        services.override_block(draft, actor=cast.owner, reason="x")


def test_personal_clean_post_needs_no_approval(cast: Cast) -> None:
    draft = services.create_draft(actor=cast.employee, accounts=[cast.personal], text="Bangga kerja di sini")
    assert services.submit_draft(draft, actor=cast.employee).state == DraftState.APPROVED


def test_author_cannot_approve_own_draft(cast: Cast) -> None:
    services.set_chain(
        cast.brand, actor=cast.owner, steps=[{"name": "Siapa saja", "roles": ["spokesperson", "approver"]}]
    )
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    assert cast.author.pk not in ReviewStep.objects.get(draft=draft).approver_ids
    with pytest.raises(NotAnApproverError):
        services.approve_draft(draft, actor=cast.author)


def test_non_approver_is_refused(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    with pytest.raises(NotAnApproverError):
        services.approve_draft(draft, actor=cast.legal)


def test_two_step_chain_approves_in_order(cast: Cast) -> None:
    services.configure_default_chains(cast.org, cast.owner)
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    with pytest.raises(NotAnApproverError):
        services.approve_draft(draft, actor=cast.compliance)  # not yet: PR first
    draft = services.approve_draft(draft, actor=cast.pr1, comment="ok")
    assert draft.state == DraftState.IN_REVIEW
    draft = services.approve_draft(draft, actor=cast.compliance)
    assert draft.state == DraftState.APPROVED
    assert draft.approved_at is not None
    assert AuditEvent.objects.filter(action="publishing.draft.approve").count() == 2


def test_all_of_step_needs_every_approver(cast: Cast) -> None:
    services.set_chain(cast.brand, actor=cast.owner, steps=[{"name": "PR", "mode": "all", "teams": [cast.teams["pr"]]}])
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    draft = services.approve_draft(draft, actor=cast.pr1)
    assert draft.state == DraftState.IN_REVIEW
    assert services.approve_draft(draft, actor=cast.pr2).state == DraftState.APPROVED


def test_simultaneous_any_of_approvals_count_once(cast: Cast) -> None:
    services.configure_default_chains(cast.org, cast.owner)
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    # Both approvers looked at step 0 of version 1; pr1's approval lands first.
    services.approve_draft(draft, actor=cast.pr1, version=1, step_position=0)
    with pytest.raises(AlreadyDecidedError):
        services.approve_draft(draft, actor=cast.pr2, version=1, step_position=0)
    step = ReviewStep.objects.get(draft=draft, position=0)
    assert step.state == StepState.APPROVED
    assert step.approvals.count() == 1
    assert ReviewStep.objects.get(draft=draft, position=1).state == StepState.PENDING


def test_double_approval_by_one_member_is_refused(cast: Cast) -> None:
    services.set_chain(cast.brand, actor=cast.owner, steps=[{"name": "PR", "mode": "all", "teams": [cast.teams["pr"]]}])
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    services.approve_draft(draft, actor=cast.pr1)
    with pytest.raises(AlreadyDecidedError):
        services.approve_draft(draft, actor=cast.pr1)


def test_edit_while_being_approved_refuses_the_stale_approval(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    services.update_draft(draft, actor=cast.author, text="Teks baru", expected_version=1)
    with pytest.raises((VersionConflictError, InvalidTransitionError)):
        services.approve_draft(draft, actor=cast.pr1, version=1)


def test_stale_editor_gets_a_conflict(cast: Cast) -> None:
    draft = draft_for(cast)
    services.update_draft(draft, actor=cast.author, text="satu", expected_version=1)
    with pytest.raises(VersionConflictError):
        services.update_draft(draft, actor=cast.author, text="dua", expected_version=1)


def test_edit_after_approval_resets_the_chain(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    draft = services.approve_draft(draft, actor=cast.pr1)
    assert draft.state == DraftState.APPROVED
    draft = services.update_draft(draft, actor=cast.author, text="Diubah setelah disetujui")
    assert draft.state == DraftState.DRAFT
    assert draft.version == 2
    assert AuditEvent.objects.filter(action="publishing.draft.chain_reset").exists()
    draft = services.submit_draft(draft, actor=cast.author)
    assert draft.state == DraftState.IN_REVIEW
    assert draft.review_round == 2


def test_label_change_does_not_reset(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    draft = services.update_draft(draft, actor=cast.author, text=draft.text, campaign="Ramadan")
    assert draft.state == DraftState.IN_REVIEW
    assert draft.campaign == "Ramadan"


def test_reject_and_request_changes_need_a_comment(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    with pytest.raises(InvalidTransitionError):
        services.reject_draft(draft, actor=cast.pr1, comment="")
    draft = services.request_changes(draft, actor=cast.pr1, comment="Tambahkan tautan")
    assert draft.state == DraftState.CHANGES_REQUESTED
    assert draft.state_reason == "Tambahkan tautan"
    draft = services.update_draft(draft, actor=cast.author, text="Dengan tautan")
    draft = services.submit_draft(draft, actor=cast.author)
    draft = services.reject_draft(draft, actor=cast.pr2, comment="Tidak sesuai kampanye")
    assert draft.state == DraftState.REJECTED
    with pytest.raises(InvalidTransitionError):
        services.submit_draft(draft, actor=cast.author)


def test_late_approval_expires_the_post(cast: Cast) -> None:
    draft = draft_for(cast, scheduled_for=timezone.now() + timedelta(minutes=3))
    draft = services.submit_draft(draft, actor=cast.author)
    draft = services.approve_draft(draft, actor=cast.pr1)
    assert draft.state == DraftState.EXPIRED
    assert "5" in draft.state_reason


def test_late_window_is_configurable(cast: Cast, settings) -> None:
    settings.JURU_LATE_APPROVAL_SECONDS = 60
    draft = services.submit_draft(
        draft_for(cast, scheduled_for=timezone.now() + timedelta(minutes=3)), actor=cast.author
    )
    assert services.approve_draft(draft, actor=cast.pr1).state == DraftState.APPROVED


def test_sweeper_expires_pending_items(cast: Cast) -> None:
    old = services.submit_draft(draft_for(cast), actor=cast.author)
    soon = services.submit_draft(
        draft_for(cast, scheduled_for=timezone.now() + timedelta(minutes=2)), actor=cast.author
    )
    fresh = services.submit_draft(draft_for(cast, scheduled_for=timezone.now() + timedelta(hours=2)), actor=cast.author)
    type(old).objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=91))
    assert services.expire_stale_drafts() == 2
    old.refresh_from_db(), soon.refresh_from_db(), fresh.refresh_from_db()
    assert (old.state, soon.state, fresh.state) == (DraftState.EXPIRED, DraftState.EXPIRED, DraftState.IN_REVIEW)
    assert "90" in old.state_reason


def test_past_target_time_is_rejected_with_a_message(cast: Cast) -> None:
    with translation.override("en"), pytest.raises(InvalidInputError, match="in the past"):
        draft_for(cast, scheduled_for=timezone.now() - timedelta(hours=1))


def test_over_long_text_names_the_network_limit(cast: Cast) -> None:
    with translation.override("en"), pytest.raises(InvalidInputError, match="too long: 501 of at most 500"):
        draft_for(cast, "a" * 501)


def test_per_network_variant_is_checked_and_used(cast: Cast) -> None:
    draft = draft_for(
        cast, "Teks utama", accounts=[cast.brand, cast.second_brand], variants={cast.second_brand.pk: "Versi care"}
    )
    bodies = {p.account_id: p.body for p in draft.posts.all()}
    assert bodies == {cast.brand.pk: "Teks utama", cast.second_brand.pk: "Versi care"}


def test_brand_and_personal_cannot_mix(cast: Cast) -> None:
    with pytest.raises(InvalidInputError):
        draft_for(cast, accounts=[cast.brand, cast.personal])


def test_eligibility_is_checked_at_submit_and_approve(cast: Cast) -> None:
    draft = draft_for(cast)
    Suspension.objects.create(organisation=cast.org, member=cast.pr1, reason="pelanggaran")
    draft = services.submit_draft(draft, actor=cast.author)
    with pytest.raises(NotEligible):
        services.approve_draft(draft, actor=cast.pr1)
    Suspension.objects.create(organisation=cast.org, member=cast.author, reason="pelanggaran")
    with pytest.raises(NotEligible):
        draft_for(cast)


def test_every_transition_is_audited(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    services.approve_draft(draft, actor=cast.pr1)
    actions = list(AuditEvent.objects.filter(object_id=str(draft.public_id)).values_list("action", flat=True))
    assert {"publishing.draft.created", "publishing.draft.submitted", "publishing.draft.approve"} <= set(actions)


def test_cancel_withdraws_a_draft(cast: Cast) -> None:
    draft = services.submit_draft(draft_for(cast), actor=cast.author)
    draft = services.cancel_draft(draft, actor=cast.author, reason="tidak jadi")
    assert draft.state == DraftState.CANCELLED
    assert not ReviewStep.objects.filter(draft=draft, state=StepState.PENDING).exists()
