"""JSON API of the publishing workflow (mounted under ``/api/v1/``): scan, drafts, decisions.

The same services and the same ``juru.accounts.access`` checks as the web UI; objects of another
organisation answer 404 exactly like missing ones.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts.access import get_object_for_member
from juru.accounts.api_auth import api_member
from juru.accounts.exceptions import NotEligible
from juru.accounts.models import BrandAccount, Member
from juru.publishing import queries, services
from juru.publishing.exceptions import PublishingError
from juru.publishing.highlight import in_language
from juru.publishing.models import Draft, ScanDecision
from juru.publishing.scanning import message_lang
from juru.publishing.schemas import (
    ApprovalOut,
    DecisionIn,
    DecisionOut,
    DraftIn,
    DraftOut,
    DraftUpdate,
    PostOut,
    ReasonIn,
    ScanIn,
    ScanOut,
    ScheduleIn,
    StepOut,
    SubmitIn,
)
from juru.publishing.services import decisions as decision_services
from juru.scan.findings import ScanContext

router = Router(tags=["publishing"])
F = TypeVar("F", bound=Callable[..., Any])


def domain_errors(view: F) -> F:
    """Turn domain errors into HTTP answers with the same messages the UI shows."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except NotEligible as exc:
            reasons = "; ".join(str(r.message) for r in exc.eligibility.reasons)
            raise HttpError(403, reasons) from None
        except PublishingError as exc:
            raise HttpError(exc.status, exc.message) from None

    return wrapper  # type: ignore[return-value]


def _draft(request: HttpRequest, draft_id: UUID) -> Draft:
    return get_object_for_member(Draft, api_member(request), draft_id)


def _accounts(member: Member, ids: list[UUID]) -> list[BrandAccount]:
    return [get_object_for_member(BrandAccount, member, pk) for pk in ids]


def _hit_out(hit: dict[str, Any], lang: str) -> dict[str, Any]:
    out = {k: hit.get(k) for k in ("rule", "severity", "action", "start", "end", "entity")}
    out["citation"] = in_language(hit.get("citation"), lang)
    out["message"] = (hit.get("message") or {}).get(lang, "")
    out["fix"] = (hit.get("fix") or {}).get(lang, "")
    if hit.get("verify"):
        out["verify"] = hit["verify"]
    return out


def draft_out(draft: Draft) -> DraftOut:
    """The API shape of a draft with its posts and current steps."""
    posts = [
        PostOut(
            account=p.account.public_id,
            handle=p.account.handle,
            network=p.account.network,
            account_type=p.account.account_type,
            state=p.state,
            due_at=p.due_at,
            remote_id=p.remote_id,
            url=p.url,
            reason=p.reason,
        )
        for p in draft.posts.select_related("account").order_by("pk")
    ]
    steps = [
        StepOut(
            position=s.position,
            name=s.name,
            kind=s.kind,
            mode=s.mode,
            state=s.state,
            approvals=[
                ApprovalOut(
                    member=a.member.display_name, decision=a.decision, comment=a.comment, created_at=a.created_at
                )
                for a in s.approvals.all()
            ],
        )
        for s in queries.current_steps(draft)
    ]
    return DraftOut(
        id=draft.public_id,
        state=draft.state,
        state_reason=draft.state_reason,
        text=draft.text,
        version=draft.version,
        verdict=draft.verdict,
        campaign=draft.campaign,
        business_function=draft.business_function,
        scheduled_for=draft.scheduled_for,
        author=draft.author.display_name,
        acknowledged=list(draft.acknowledged),
        posts=posts,
        steps=steps,
        created_at=draft.created_at,
    )


def decision_out(d: ScanDecision) -> DecisionOut:
    """The API shape of a recorded decision."""
    lang = message_lang()
    return DecisionOut(
        id=d.public_id,
        draft=d.draft.public_id if d.draft else None,
        account=d.post.account.public_id if d.post else None,
        verdict=d.verdict,
        revision=d.revision,
        input_digest=d.input_digest,
        lang=d.lang,
        context=d.context,
        hits=[_hit_out(h, lang) for h in d.hits],
        findings=d.findings,
        purpose=d.purpose,
        actor=d.actor.display_name if d.actor else None,
        created_at=d.created_at,
    )


@router.post("/scan", response=ScanOut, summary="Scan a text (result as `juru scan`) and record the decision")
@domain_errors
def scan(request: HttpRequest, payload: ScanIn, messages: str = "") -> ScanOut:
    member = api_member(request)
    organisation = member.organisation
    if payload.account_id is not None:
        account = get_object_for_member(BrandAccount, member, payload.account_id)
        context = decision_services.context_for(account, member)
    else:
        crisis = organisation.crisis_active if payload.crisis is None else payload.crisis
        context = ScanContext(
            account=payload.account,
            channel=payload.channel,
            network=payload.network,
            role=payload.role or member.role,
            crisis=crisis,
            lang=payload.lang,
        )
    decision = decision_services.record_scan(
        organisation=organisation, text=payload.text, context=context, actor=member, purpose="api"
    )
    lang = messages if messages in ("id", "en") else message_lang()
    return ScanOut(
        decision=decision.public_id,
        verdict=decision.verdict,
        revision=decision.revision,
        lang=decision.lang,
        hits=[_hit_out(h, lang) for h in decision.hits],
        findings=[{k: v for k, v in f.items() if k != "explanation"} for f in decision.findings],
    )


@router.get("/drafts", response=list[DraftOut], summary="Drafts of the organisation, newest first")
def list_drafts(request: HttpRequest, state: str = "", limit: int = 50) -> list[DraftOut]:
    return [draft_out(d) for d in queries.drafts_for(api_member(request), state=state)[: max(1, min(limit, 200))]]


@router.post("/drafts", response={201: DraftOut}, summary="Create a draft for one or more accounts")
@domain_errors
def create_draft(request: HttpRequest, payload: DraftIn) -> Status[DraftOut]:
    member = api_member(request)
    accounts = _accounts(member, payload.accounts)
    by_public = {a.public_id: a for a in accounts}
    variants = {by_public[k].pk: v for k, v in payload.variants.items() if k in by_public}
    draft = services.create_draft(
        actor=member,
        accounts=accounts,
        text=payload.text,
        variants=variants,
        campaign=payload.campaign,
        business_function=payload.business_function,
        scheduled_for=payload.scheduled_for,
    )
    return Status(201, draft_out(draft))


@router.get("/drafts/{draft_id}", response=DraftOut, summary="One draft")
def get_draft(request: HttpRequest, draft_id: UUID) -> DraftOut:
    return draft_out(_draft(request, draft_id))


@router.patch("/drafts/{draft_id}", response=DraftOut, summary="Edit a draft (resets an approval in progress)")
@domain_errors
def update_draft(request: HttpRequest, draft_id: UUID, payload: DraftUpdate) -> DraftOut:
    member, draft = api_member(request), _draft(request, draft_id)
    accounts = {p.account.public_id: p.account_id for p in draft.posts.select_related("account")}
    variants = {accounts[k]: v for k, v in payload.variants.items() if k in accounts}
    extra: dict[str, Any] = {}
    if "scheduled_for" in payload.model_fields_set:
        extra["scheduled_for"] = payload.scheduled_for
    draft = services.update_draft(
        draft,
        actor=member,
        text=payload.text,
        expected_version=payload.version,
        variants=variants,
        campaign=payload.campaign,
        business_function=payload.business_function,
        **extra,
    )
    return draft_out(draft)


@router.post("/drafts/{draft_id}/submit", response=DraftOut, summary="Submit for approval")
@domain_errors
def submit(request: HttpRequest, draft_id: UUID, payload: SubmitIn) -> DraftOut:
    draft = services.submit_draft(
        _draft(request, draft_id), actor=api_member(request), acknowledged=payload.acknowledged
    )
    return draft_out(draft)


def _decide(request: HttpRequest, draft_id: UUID, payload: DecisionIn, decision: str) -> DraftOut:
    draft = services.decide(
        _draft(request, draft_id),
        actor=api_member(request),
        decision=decision,
        comment=payload.comment,
        version=payload.version,
        step_position=payload.step,
    )
    return draft_out(draft)


@router.post("/drafts/{draft_id}/approve", response=DraftOut, summary="Approve the current step")
@domain_errors
def approve(request: HttpRequest, draft_id: UUID, payload: DecisionIn) -> DraftOut:
    return _decide(request, draft_id, payload, "approve")


@router.post("/drafts/{draft_id}/reject", response=DraftOut, summary="Reject the draft")
@domain_errors
def reject(request: HttpRequest, draft_id: UUID, payload: DecisionIn) -> DraftOut:
    return _decide(request, draft_id, payload, "reject")


@router.post("/drafts/{draft_id}/request-changes", response=DraftOut, summary="Send back to the author")
@domain_errors
def request_changes(request: HttpRequest, draft_id: UUID, payload: DecisionIn) -> DraftOut:
    return _decide(request, draft_id, payload, "request_changes")


@router.post("/drafts/{draft_id}/schedule", response=DraftOut, summary="Schedule an approved draft")
@domain_errors
def schedule(request: HttpRequest, draft_id: UUID, payload: ScheduleIn) -> DraftOut:
    draft = services.schedule_draft(
        _draft(request, draft_id),
        actor=api_member(request),
        confirm_accounts=payload.confirm_accounts,
        when=payload.when,
    )
    return draft_out(draft)


@router.post("/drafts/{draft_id}/cancel", response=DraftOut, summary="Cancel (withdraw or un-schedule)")
@domain_errors
def cancel(request: HttpRequest, draft_id: UUID, payload: ReasonIn) -> DraftOut:
    return draft_out(services.cancel_draft(_draft(request, draft_id), actor=api_member(request), reason=payload.reason))


@router.post("/drafts/{draft_id}/override", response=DraftOut, summary="Owner override of a block (opens a case)")
@domain_errors
def override(request: HttpRequest, draft_id: UUID, payload: ReasonIn) -> DraftOut:
    return draft_out(
        services.override_block(_draft(request, draft_id), actor=api_member(request), reason=payload.reason)
    )


@router.get("/decisions", response=list[DecisionOut], summary="Recorded scan decisions, newest first")
def list_decisions(request: HttpRequest, draft: UUID | None = None, limit: int = 50) -> list[DecisionOut]:
    member = api_member(request)
    target = get_object_for_member(Draft, member, draft) if draft else None
    found = queries.decisions_for(member, draft=target)[: max(1, min(limit, 200))]
    return [decision_out(d) for d in found]


@router.get("/decisions/{decision_id}", response=DecisionOut, summary="One decision")
def get_decision(request: HttpRequest, decision_id: UUID) -> DecisionOut:
    return decision_out(get_object_for_member(ScanDecision, api_member(request), decision_id))
