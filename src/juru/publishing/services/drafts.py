"""Writing, editing, submitting and cancelling drafts."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from juru.accounts import access
from juru.accounts.models import AccountType, BrandAccount, Member, OrgAction, Permission
from juru.audit.services import PendingEvent
from juru.connectors import registry
from juru.governance.models import ViolationSource
from juru.governance.services import violations
from juru.publishing import routing
from juru.publishing.exceptions import (
    InvalidInputError,
    InvalidTransitionError,
    NotAnApproverError,
    NotSubmittableError,
    VersionConflictError,
)
from juru.publishing.models import (
    CANCELLABLE_STATES,
    SUBMITTABLE_STATES,
    Draft,
    DraftChannel,
    DraftState,
    Post,
    PostState,
    ScanDecision,
    StepState,
)
from juru.publishing.scanning import message_lang, warning_keys
from juru.publishing.services import chains, decisions
from juru.publishing.services.common import (
    audit,
    draft_accounts,
    draft_snapshot,
    event,
    late_approval_window,
    require_can_draft,
    require_can_write,
    require_for_accounts,
    speaking_permission,
    write_events,
)

# A target time a little in the past is a slow form, not a mistake.
PAST_GRACE = timedelta(seconds=60)
KEEP = object()  # "leave this field as it is" for optional update arguments


def _check_accounts(author: Member, accounts: Sequence[BrandAccount]) -> None:
    if not accounts:
        raise InvalidInputError(_("Choose at least one account."))
    if any(a.organisation_id != author.organisation_id for a in accounts):
        raise InvalidInputError(_("Every account must belong to this organisation."))
    if len({a.account_type for a in accounts}) > 1:
        raise InvalidInputError(_("Brand and personal accounts cannot share one draft."))
    if any(not a.is_active for a in accounts):
        raise InvalidInputError(_("One of the accounts is no longer active."))


def _require_posting_networks(accounts: Sequence[BrandAccount]) -> None:
    """Refuse a post to an account whose network only takes replies, naming the account."""
    posting = set(registry.posting_networks())
    for account in accounts:
        if account.network not in posting:
            raise InvalidInputError(
                _("%(account)s only answers comments on %(network)s: choose it when replying from the inbox.")
                % {"account": account.handle, "network": registry.capabilities(account.network).display_name}
            )


def check_target_time(when: datetime | None, *, now: datetime | None = None) -> None:
    """Refuse a target time in the past, saying so."""
    now = now or timezone.now()
    if when is not None and when < now - PAST_GRACE:
        raise InvalidInputError(
            _("The publish time %(when)s is in the past; choose a later time.")
            % {"when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")}
        )


def _require_reachable_time(when: datetime | None) -> None:
    """An edit that needs a new approval round must leave that round time to finish.

    Keeping a publish time closer than the late-approval window would expire the draft at the
    first approval after the edit; the editor is asked for a later time (or none) instead.
    """
    if when is not None and when <= timezone.now() + late_approval_window():
        raise InvalidInputError(
            _(
                "The text changed, so it must be approved again, and the publish time %(when)s leaves no time "
                "for that; choose a later time or clear it."
            )
            % {"when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")}
        )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInputError(_("The text is empty."))
    return decisions.check_text_bounds(text)


def _rescan(draft: Draft, *, actor: Member, purpose: str) -> list[ScanDecision]:
    found = [decisions.scan_post(post, actor=actor, purpose=purpose) for post in draft.posts.select_related("account")]
    draft.verdict = routing.strongest(d.verdict for d in found)
    draft.save(update_fields=["verdict", "updated_at"])
    return found


@transaction.atomic
def create_draft(
    *,
    actor: Member,
    accounts: Sequence[BrandAccount],
    text: str,
    variants: Mapping[int, str] | None = None,
    campaign: str = "",
    business_function: str = "",
    scheduled_for: datetime | None = None,
    channel: str = DraftChannel.POST,
    reply_to: str = "",
) -> Draft:
    """Create a draft for one or several accounts and record its first scan decision per account.

    With ``reply_to`` (the network id of a comment) the draft is a reply: one account, the reply grant.
    """
    text = _clean_text(text)
    variants = variants or {}
    _check_accounts(actor, accounts)
    if reply_to:
        if len(accounts) != 1:
            raise InvalidInputError(_("A reply goes out on exactly one account."))
        require_for_accounts(actor, Permission.REPLY, accounts)
    else:
        _require_posting_networks(accounts)
        require_can_draft(actor, accounts)
    check_target_time(scheduled_for)
    for account in accounts:
        decisions.check_length(account, (variants.get(account.pk) or "").strip() or text)
    draft = Draft.objects.create(
        organisation=actor.organisation,
        author=actor,
        text=text,
        channel=channel,
        campaign=campaign.strip(),
        business_function=business_function,
        scheduled_for=scheduled_for,
    )
    for account in accounts:
        Post.objects.create(
            organisation=actor.organisation,
            draft=draft,
            account=account,
            text_variant=(variants.get(account.pk) or "").strip(),
            reply_to=reply_to,
            idempotency_key=uuid.uuid4().hex,
        )
    _rescan(draft, actor=actor, purpose="save")
    audit(
        "publishing.draft.created",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        after=draft_snapshot(draft) | {"accounts": [a.handle for a in accounts]},
    )
    return draft


def lock_draft(draft: Draft) -> Draft:
    """Re-read the draft under a row lock: edits and approvals of one draft run one at a time."""
    return Draft.objects.select_for_update(of=("self",)).select_related("organisation", "author").get(pk=draft.pk)


def reset_chain(draft: Draft, *, actor: Member, why: str) -> PendingEvent:
    """Supersede the current round and un-schedule posts: the edited text must be approved again.

    Runs inside the editing service's transaction: returns the audit event for it to append.
    """
    draft.steps.filter(round=draft.review_round, state=StepState.PENDING).update(state=StepState.SUPERSEDED)
    busy = draft.posts.filter(state__in=[PostState.PUBLISHING, PostState.PUBLISHED]).exists()
    if busy:
        raise InvalidTransitionError(_("This draft is already being published and can no longer change."))
    draft.posts.filter(state=PostState.SCHEDULED).update(state=PostState.WAITING, due_at=None)
    before = draft.state
    draft.state = DraftState.DRAFT
    draft.state_reason = why
    draft.approved_at = None
    return event(
        "publishing.draft.chain_reset",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        before={"state": before},
        after={"state": draft.state},
        summary=why,
    )


@transaction.atomic
def update_draft(
    draft: Draft,
    *,
    actor: Member,
    text: str,
    expected_version: int | None = None,
    variants: Mapping[int, str] | None = None,
    campaign: str | None = None,
    business_function: str | None = None,
    scheduled_for: datetime | None | object = KEEP,
) -> Draft:
    """Edit the text (and labels); editing a draft under review or approved resets its chain."""
    draft = lock_draft(draft)
    if actor.pk != draft.author_id:
        require_can_write(actor, draft)
    if not (draft.is_editable or draft.state == DraftState.SCHEDULED):
        raise InvalidTransitionError(
            _("A %(state)s draft can no longer be edited.") % {"state": draft.get_state_display()}
        )
    if expected_version is not None and expected_version != draft.version:
        raise VersionConflictError(_("Someone else changed this draft meanwhile; reload it and edit again."))
    text = _clean_text(text)
    if scheduled_for is not KEEP:
        check_target_time(scheduled_for)  # type: ignore[arg-type]
        draft.scheduled_for = scheduled_for  # type: ignore[assignment]
    variants = variants or {}
    posts = list(draft.posts.select_related("account"))
    for post in posts:
        decisions.check_length(post.account, (variants.get(post.account_id, post.text_variant) or "").strip() or text)
    before = draft_snapshot(draft)
    changed = text != draft.text or any(
        (variants.get(p.account_id, p.text_variant) or "").strip() != p.text_variant for p in posts
    )
    events: list[PendingEvent] = []
    if changed and draft.state in (DraftState.IN_REVIEW, DraftState.APPROVED, DraftState.SCHEDULED):
        _require_reachable_time(draft.scheduled_for)
        events.append(reset_chain(draft, actor=actor, why=_("The text changed after it was submitted.")))
    if changed and draft.state == DraftState.EXPIRED:
        draft.state = DraftState.DRAFT
    for post in posts:
        if post.account_id in variants:
            post.text_variant = (variants[post.account_id] or "").strip()
            post.save(update_fields=["text_variant"])
    draft.text = text
    if campaign is not None:
        draft.campaign = campaign.strip()
    if business_function is not None:
        draft.business_function = business_function
    draft.version = F("version") + 1 if changed else draft.version
    draft.save()
    draft.refresh_from_db()
    _rescan(draft, actor=actor, purpose="save")
    updated = event(
        "publishing.draft.updated",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        before=before,
        after=draft_snapshot(draft),
    )
    write_events([*events, updated])
    return draft


def _block_message(found: Sequence[ScanDecision]) -> str:
    parts = []
    for decision in found:
        for hit in decision.hits:
            if hit.get("action") == "block":
                lang = message_lang()
                parts.append(str(hit.get("message", {}).get(lang) or hit.get("rule")))
    detail = "; ".join(dict.fromkeys(parts))
    return _("This draft is blocked by the policy and cannot be submitted: %(detail)s") % {"detail": detail}


def override_digest(found: Sequence[ScanDecision]) -> str:
    """What an override approves: these exact texts under this exact policy revision."""
    raw = "|".join(f"{d.post_id}:{d.input_digest}:{d.revision}" for d in found)
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


def _submit(draft: Draft, *, actor: Member, acknowledged: Sequence[str], events: Sequence[PendingEvent] = ()) -> Draft:
    """Submit, appending ``events`` (what the calling service did first) with the submission's own."""
    if draft.state not in SUBMITTABLE_STATES:
        raise InvalidTransitionError(
            _("Only a draft can be submitted (this one is %(state)s).") % {"state": draft.get_state_display()}
        )
    require_can_write(draft.author, draft)
    found = _rescan(draft, actor=actor, purpose="submit")
    overridden = bool(draft.override_digest) and draft.override_digest == override_digest(found)
    routes = [chains.route_post(d.post, d, overridden=overridden) for d in found]  # type: ignore[arg-type]
    merged = routing.merge(routes)
    if not merged.submittable:
        raise NotSubmittableError(_block_message(found))
    missing = [key for d in found for key in warning_keys(d.hits) if key not in acknowledged]
    if merged.needs_acknowledgement and missing:
        raise NotSubmittableError(
            _("Acknowledge each warning before submitting (%(count)d not acknowledged).") % {"count": len(missing)}
        )
    before = draft_snapshot(draft)
    draft.acknowledged = sorted({key for d in found for key in warning_keys(d.hits)})
    draft.review_round += 1
    draft.submitted_at = timezone.now()
    draft.state_reason = ""
    chains.create_steps(draft, merged.steps)
    draft.state = DraftState.IN_REVIEW if merged.steps else DraftState.APPROVED
    if not merged.steps:
        draft.approved_at = draft.submitted_at
    draft.save()
    submitted = event(
        "publishing.draft.submitted",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        before=before,
        after=draft_snapshot(draft) | {"steps": [s.name for s in merged.steps], "acknowledged": draft.acknowledged},
    )
    write_events([*events, submitted])
    return draft


@transaction.atomic
def submit_draft(draft: Draft, *, actor: Member, acknowledged: Sequence[str] = ()) -> Draft:
    """Rescan and send the draft into the approval chain its verdict calls for (DESIGN §3)."""
    draft = lock_draft(draft)
    if actor.pk != draft.author_id:
        raise NotAnApproverError(_("Only the author can submit this draft."))
    return _submit(draft, actor=actor, acknowledged=acknowledged)


@transaction.atomic
def override_block(draft: Draft, *, actor: Member, reason: str, acknowledged: Sequence[str] = ()) -> Draft:
    """An owner's recorded override of a block: opens a violation case, then submits for approval."""
    draft = lock_draft(draft)
    if not access.role_can(actor, OrgAction.OVERRIDE_BLOCK):
        raise NotAnApproverError(_("Only an owner can override a block."))
    if not reason.strip():
        raise InvalidInputError(_("Give a reason for the override."))
    if draft.state not in SUBMITTABLE_STATES:
        raise InvalidTransitionError(_("Only a draft can be overridden."))
    accounts = draft_accounts(draft)
    if any(a.account_type == AccountType.PERSONAL for a in accounts):
        raise NotSubmittableError(_("A blocked post for a personal account cannot be overridden."))
    found = _rescan(draft, actor=actor, purpose="override")
    if draft.verdict != "block":
        raise InvalidTransitionError(_("This draft is not blocked; submit it normally."))
    block_hits = [h for d in found for h in d.hits if h.get("action") == "block"]
    severities = ["info", "low", "medium", "high", "critical"]
    case, opened = violations.case_opening(
        actor=actor,
        member=draft.author,
        source=ViolationSource.OVERRIDE,
        reason=reason.strip(),
        rules=[h["rule"] for h in block_hits],
        severity=max((h.get("severity", "info") for h in block_hits), key=severities.index, default=""),
        content=draft.text,
        draft=draft,
        scan_decision=next(d for d in found if d.verdict == "block"),
    )
    draft.override_digest = override_digest(found)
    draft.save(update_fields=["override_digest", "updated_at"])
    overridden = event(
        "publishing.draft.override",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        after={"violation_case": str(case.public_id), "rules": case.rules, "reason": case.reason},
        summary=reason.strip(),
    )
    return _submit(draft, actor=actor, acknowledged=acknowledged, events=[*opened, overridden])


@transaction.atomic
def cancel_draft(draft: Draft, *, actor: Member, reason: str = "") -> Draft:
    """Withdraw a draft (author) or un-schedule it (a publisher); nothing already sent is undone."""
    draft = lock_draft(draft)
    if actor.pk != draft.author_id:
        require_for_accounts(actor, speaking_permission(draft), draft_accounts(draft))
    if draft.state not in CANCELLABLE_STATES:
        raise InvalidTransitionError(_("A %(state)s draft cannot be cancelled.") % {"state": draft.get_state_display()})
    if draft.posts.filter(state__in=[PostState.PUBLISHING, PostState.PUBLISHED]).exists():
        raise InvalidTransitionError(_("Publishing has already started; it can no longer be cancelled."))
    before = draft_snapshot(draft)
    draft.posts.filter(state__in=[PostState.WAITING, PostState.SCHEDULED]).update(state=PostState.CANCELLED)
    draft.steps.filter(state=StepState.PENDING).update(state=StepState.SUPERSEDED)
    draft.state = DraftState.CANCELLED
    draft.state_reason = reason.strip()
    draft.save(update_fields=["state", "state_reason", "updated_at"])
    audit(
        "publishing.draft.cancelled",
        actor=actor,
        organisation=draft.organisation,
        obj=draft,
        before=before,
        after=draft_snapshot(draft),
        summary=reason.strip(),
    )
    return draft
