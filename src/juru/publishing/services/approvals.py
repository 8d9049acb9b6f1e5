"""Approving, rejecting and requesting changes, safe against races and late arrivals."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts.models import Member, Permission
from juru.audit.services import PendingEvent
from juru.publishing.exceptions import (
    AlreadyDecidedError,
    InvalidTransitionError,
    NotAnApproverError,
    VersionConflictError,
)
from juru.publishing.models import Approval, ApprovalDecision, Draft, DraftState, ReviewStep, StepMode, StepState
from juru.publishing.services.common import (
    audit,
    draft_accounts,
    draft_snapshot,
    event,
    late_approval_window,
    require_for_accounts,
    write_events,
)

DECISION_STATE = {
    ApprovalDecision.REJECT: (StepState.REJECTED, DraftState.REJECTED),
    ApprovalDecision.REQUEST_CHANGES: (StepState.CHANGES_REQUESTED, DraftState.CHANGES_REQUESTED),
}


def current_step(draft: Draft) -> ReviewStep | None:
    """The first undecided step of the current round."""
    return draft.steps.filter(round=draft.review_round, state=StepState.PENDING).order_by("position").first()


def can_decide(draft: Draft, member: Member) -> bool:
    """Whether ``member`` is an approver of the current step (never the author)."""
    step = current_step(draft)
    return (
        draft.state == DraftState.IN_REVIEW
        and step is not None
        and member.pk != draft.author_id
        and member.pk in step.approver_ids
        and not step.approvals.filter(member=member).exists()
    )


def _target_step(draft: Draft, position: int | None) -> ReviewStep:
    """The step a decision is for: the current one; a later step cannot be decided before it."""
    step = current_step(draft)
    if position is not None:
        asked = draft.steps.filter(round=draft.review_round, position=position).first()
        if asked is None or asked.state != StepState.PENDING:
            raise AlreadyDecidedError(_("This step has already been decided by someone else."))
        if step is not None and asked.pk != step.pk:
            raise InvalidTransitionError(
                _("The step “%(step)s” must be decided before “%(later)s”.") % {"step": step.name, "later": asked.name}
            )
        step = asked
    if step is None:
        raise InvalidTransitionError(_("This draft has no step waiting for a decision."))
    return step


def _too_late(draft: Draft) -> bool:
    return draft.scheduled_for is not None and timezone.now() > draft.scheduled_for - late_approval_window()


def _expire(draft: Draft, *, actor: Member | None, why: str) -> PendingEvent:
    """Expire the draft; returns its audit event (the caller appends it with its own)."""
    before = draft_snapshot(draft)
    draft.state = DraftState.EXPIRED
    draft.state_reason = why
    draft.save(update_fields=["state", "state_reason", "updated_at"])
    draft.steps.filter(round=draft.review_round, state=StepState.PENDING).update(state=StepState.SUPERSEDED)
    return event(
        "publishing.draft.expired",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        before=before,
        after=draft_snapshot(draft),
        summary=why,
    )


def _step_complete(step: ReviewStep) -> bool:
    if step.mode == StepMode.ANY:
        return True
    approved = set(step.approvals.filter(decision=ApprovalDecision.APPROVE).values_list("member_id", flat=True))
    return set(step.approver_ids) <= approved


@transaction.atomic
def decide(
    draft: Draft,
    *,
    actor: Member,
    decision: str,
    comment: str = "",
    version: int | None = None,
    step_position: int | None = None,
) -> Draft:
    """Record an approver's decision on the current step and move the draft on.

    The draft row is locked first, so two approvers deciding at the same instant are applied one
    after the other; ``version`` (the text the approver saw) must still be the draft's version.
    """
    draft = Draft.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=draft.pk)
    if decision not in ApprovalDecision.values:
        raise InvalidTransitionError(_("Unknown decision."))
    if draft.state != DraftState.IN_REVIEW:
        raise InvalidTransitionError(
            _("This draft is not waiting for approval (it is %(state)s).") % {"state": draft.get_state_display()}
        )
    if version is not None and version != draft.version:
        raise VersionConflictError(_("The text changed while you were reviewing it; read the new version first."))
    if actor.pk == draft.author_id:
        raise NotAnApproverError(_("Authors never approve their own drafts."))
    step = _target_step(draft, step_position)
    if actor.pk not in step.approver_ids:
        raise NotAnApproverError(_("You are not an approver of the step “%(step)s”.") % {"step": step.name})
    require_for_accounts(actor, Permission.APPROVE, draft_accounts(draft))
    if decision != ApprovalDecision.APPROVE and not comment.strip():
        raise InvalidTransitionError(_("Add a comment saying why."))
    try:
        with transaction.atomic():
            Approval.objects.create(
                step=step, member=actor, decision=decision, comment=comment.strip(), version=draft.version
            )
    except IntegrityError:
        raise AlreadyDecidedError(_("You have already decided on this step.")) from None
    before = draft_snapshot(draft)
    action = f"publishing.draft.{decision}"
    if decision == ApprovalDecision.APPROVE:
        if _too_late(draft):
            late = event(
                action,
                actor=actor,
                organisation=draft.organisation,
                obj=draft,
                summary=comment.strip(),
                after={"step": step.name, "late": True},
            )
            why = _("The approval arrived less than %(minutes)d minutes before the publish time.") % {
                "minutes": int(late_approval_window().total_seconds() // 60)
            }
            write_events([late, _expire(draft, actor=actor, why=why)])
            return draft
        _approve_step(draft, step)
    else:
        step_state, draft_state = DECISION_STATE[ApprovalDecision(decision)]
        ReviewStep.objects.filter(pk=step.pk).update(state=step_state, decided_at=timezone.now())
        draft.steps.filter(round=draft.review_round, state=StepState.PENDING).update(state=StepState.SUPERSEDED)
        draft.state = draft_state
        draft.state_reason = comment.strip()
        draft.save(update_fields=["state", "state_reason", "updated_at"])
    audit(
        action,
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        before=before,
        after=draft_snapshot(draft) | {"step": step.name},
        summary=comment.strip(),
    )
    return draft


def _approve_step(draft: Draft, step: ReviewStep) -> None:
    if not _step_complete(step):
        return
    # Conditional: only one request can move a pending step on, whatever the database.
    moved = ReviewStep.objects.filter(pk=step.pk, state=StepState.PENDING).update(
        state=StepState.APPROVED, decided_at=timezone.now()
    )
    if not moved:
        raise AlreadyDecidedError(_("This step has already been decided by someone else."))
    if current_step(draft) is None:
        draft.state = DraftState.APPROVED
        draft.approved_at = timezone.now()
        draft.save(update_fields=["state", "approved_at", "updated_at"])


def approve_draft(
    draft: Draft, *, actor: Member, comment: str = "", version: int | None = None, step_position: int | None = None
) -> Draft:
    """Approve the current step."""
    return decide(
        draft,
        actor=actor,
        decision=ApprovalDecision.APPROVE,
        comment=comment,
        version=version,
        step_position=step_position,
    )


def reject_draft(
    draft: Draft, *, actor: Member, comment: str, version: int | None = None, step_position: int | None = None
) -> Draft:
    """Reject the draft (final)."""
    return decide(
        draft,
        actor=actor,
        decision=ApprovalDecision.REJECT,
        comment=comment,
        version=version,
        step_position=step_position,
    )


def request_changes(
    draft: Draft, *, actor: Member, comment: str, version: int | None = None, step_position: int | None = None
) -> Draft:
    """Send the draft back to its author with a comment."""
    return decide(
        draft,
        actor=actor,
        decision=ApprovalDecision.REQUEST_CHANGES,
        comment=comment,
        version=version,
        step_position=step_position,
    )
