"""API: authors with their strikes and state, hide/unhide, ban/unban, whitelist, appeals, the policy.

The same services and checks as the pages: a member who may not moderate at all gets 403; an
author on a network they do not moderate, or of another organisation, is 404.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts import access
from juru.accounts.api_auth import api_member
from juru.accounts.models import Member
from juru.listening.models import Mention
from juru.moderation import public_appeals, queries
from juru.moderation.exceptions import ModerationError
from juru.moderation.models import Appeal, AppealState, Author, ModerationAction
from juru.moderation.services import appeals, authors, policy
from juru.moderation.services.common import policy_for
from juru.moderation.views import can_manage_policy

router = Router(tags=["moderation"])
MAX_LIMIT = 500


class StrikeOut(Schema):
    id: uuid.UUID
    kind: str
    weight: int
    created_at: datetime
    mention: uuid.UUID
    text: str
    evidence: list[dict[str, str]]


class ActionOut(Schema):
    id: uuid.UUID
    kind: str
    state: str
    automatic: bool
    account: str
    mention: uuid.UUID | None
    reason: str
    error: str
    created_at: datetime
    reversed: bool


class AppealOut(Schema):
    id: uuid.UUID
    author: uuid.UUID
    statement: str
    state: str
    created_at: datetime
    decided_at: datetime | None
    decision_note: str


class AuthorOut(Schema):
    id: uuid.UUID
    network: str
    handle: str
    name: str
    state: str
    ban_method: str
    whitelisted: bool
    points: int


class AuthorDetailOut(AuthorOut):
    threshold: int
    window_days: int
    strikes: list[StrikeOut]
    actions: list[ActionOut]
    appeals: list[AppealOut]


class ReasonIn(Schema):
    reason: str = ""


class WhitelistIn(Schema):
    whitelisted: bool
    reason: str = ""


class AppealIn(Schema):
    statement: str


class DecisionIn(Schema):
    accept: bool
    note: str = ""


class PolicyIO(Schema):
    hide_spam: bool
    hide_abuse: bool
    ban_mode: str
    threshold: int
    window_days: int
    spam_weight: int
    abuse_weight: int
    hate_weight: int


def _moderator(request: HttpRequest) -> Member:
    member = api_member(request)
    if not access.can_moderate(member):
        raise HttpError(403, _("Your role does not allow this action."))
    return member


def _author(member: Member, author_id: uuid.UUID) -> Author:
    author = access.get_object_for_member(Author.objects.select_related("organisation"), member, author_id)
    if not access.can_moderate(member, author.network):
        raise Http404
    return author


def _author_out(author: Author, points: int) -> AuthorOut:
    return AuthorOut(
        id=author.public_id, network=author.network, handle=author.handle, name=author.name, state=author.state,
        ban_method=author.ban_method, whitelisted=author.whitelisted, points=points,
    )  # fmt: skip


def _action_out(action: ModerationAction) -> ActionOut:
    return ActionOut(
        id=action.public_id, kind=action.kind, state=action.state, automatic=action.automatic,
        account=action.account.handle, mention=action.mention.public_id if action.mention else None,
        reason=action.reason, error=action.error, created_at=action.created_at,
        reversed=action.reversed_by_id is not None,
    )  # fmt: skip


def _appeal_out(appeal: Appeal) -> AppealOut:
    return AppealOut(
        id=appeal.public_id, author=appeal.author.public_id, statement=appeal.statement, state=appeal.state,
        created_at=appeal.created_at, decided_at=appeal.decided_at, decision_note=appeal.decision_note,
    )  # fmt: skip


def _detail(author: Author) -> AuthorDetailOut:
    record = queries.author_record(author)
    strikes = [
        StrikeOut(
            id=s.public_id, kind=s.kind, weight=s.weight, created_at=s.created_at, mention=s.mention.public_id,
            text=s.mention.text, evidence=s.evidence,
        )
        for s in record.strikes
    ]  # fmt: skip
    return AuthorDetailOut(
        **_author_out(author, record.points).dict(), threshold=record.policy.threshold,
        window_days=record.policy.window_days, strikes=strikes, actions=[_action_out(a) for a in record.actions],
        appeals=[_appeal_out(a) for a in record.appeals],
    )  # fmt: skip


def _refused(exc: ModerationError) -> HttpError:
    return HttpError(409, exc.message)


@router.get("/authors", response=list[AuthorOut], summary="Authors by strike points")
def list_authors(request: HttpRequest, state: str = "", q: str = "", limit: int = 100) -> list[AuthorOut]:
    member = _moderator(request)
    found = queries.authors(member.organisation, state=state, q=q, networks=access.moderated_networks(member))
    return [_author_out(a, a.points) for a in found[: max(1, min(limit, MAX_LIMIT))]]  # type: ignore[attr-defined]


@router.get("/authors/{author_id}", response=AuthorDetailOut, summary="One author: state, strikes with evidence")
def get_author(request: HttpRequest, author_id: uuid.UUID) -> AuthorDetailOut:
    return _detail(_author(_moderator(request), author_id))


@router.post("/authors/{author_id}/ban", response=AuthorDetailOut, summary="Ban an author")
def ban_author(request: HttpRequest, author_id: uuid.UUID, body: ReasonIn) -> AuthorDetailOut:
    member = _moderator(request)
    author = _author(member, author_id)
    try:
        author = authors.ban(actor=member.user, author=author, reason=body.reason)
    except ModerationError as exc:
        raise _refused(exc) from None
    return _detail(author)


@router.post("/authors/{author_id}/unban", response=AuthorDetailOut, summary="Lift an author's ban")
def unban_author(request: HttpRequest, author_id: uuid.UUID, body: ReasonIn) -> AuthorDetailOut:
    member = _moderator(request)
    author = _author(member, author_id)
    try:
        author = authors.unban(actor=member.user, author=author, reason=body.reason)
    except ModerationError as exc:
        raise _refused(exc) from None
    return _detail(author)


@router.post("/authors/{author_id}/whitelist", response=AuthorDetailOut, summary="Whitelist an author (or not)")
def whitelist_author(request: HttpRequest, author_id: uuid.UUID, body: WhitelistIn) -> AuthorDetailOut:
    member = _moderator(request)
    author = _author(member, author_id)
    try:
        author = authors.set_whitelisted(
            actor=member.user, author=author, whitelisted=body.whitelisted, reason=body.reason
        )
    except ModerationError as exc:
        raise _refused(exc) from None
    return _detail(author)


def _mention(author: Author, mention_id: uuid.UUID) -> Mention:
    found = Mention.objects.filter(
        organisation=author.organisation, network=author.network, author_handle=author.handle, public_id=mention_id
    ).select_related("account", "organisation")
    mention = found.first()
    if mention is None:
        raise Http404
    return mention


@router.post("/authors/{author_id}/comments/{mention_id}/hide", response={202: ActionOut}, summary="Hide a comment")
def hide_comment(request: HttpRequest, author_id: uuid.UUID, mention_id: uuid.UUID, body: ReasonIn) -> Status:
    member = _moderator(request)
    author = _author(member, author_id)
    try:
        action = authors.hide(
            actor=member.user, author=author, mention=_mention(author, mention_id), reason=body.reason
        )
    except ModerationError as exc:
        raise _refused(exc) from None
    return Status(202, _action_out(action))


@router.post(
    "/authors/{author_id}/comments/{mention_id}/unhide", response={202: ActionOut}, summary="Show a comment again"
)
def unhide_comment(request: HttpRequest, author_id: uuid.UUID, mention_id: uuid.UUID, body: ReasonIn) -> Status:
    member = _moderator(request)
    author = _author(member, author_id)
    mention = _mention(author, mention_id)
    try:
        action = authors.unhide(actor=member.user, author=author, mention=mention, reason=body.reason)
    except ModerationError as exc:
        raise _refused(exc) from None
    return Status(202, _action_out(action))


@router.get("/appeals", response=list[AppealOut], summary="Appeals, newest first")
def list_appeals(request: HttpRequest, state: str = "", limit: int = 100) -> list[AppealOut]:
    member = _moderator(request)
    if state and state not in AppealState.values:
        raise HttpError(400, f"state must be one of {', '.join(AppealState.values)}")
    found = Appeal.objects.filter(organisation=member.organisation).select_related("author")
    networks = access.moderated_networks(member)
    if networks is not None:
        found = found.filter(author__network__in=networks)
    if state:
        found = found.filter(state=state)
    return [_appeal_out(a) for a in found[: max(1, min(limit, MAX_LIMIT))]]


@router.post("/authors/{author_id}/appeals", response={201: AppealOut}, summary="Record an author's appeal")
def record_appeal(request: HttpRequest, author_id: uuid.UUID, body: AppealIn) -> Status:
    member = _moderator(request)
    author = _author(member, author_id)
    try:
        appeal = appeals.record_appeal(actor=member.user, author=author, statement=body.statement)
    except ModerationError as exc:
        raise HttpError(400, exc.message) from None
    return Status(201, _appeal_out(appeal))


@router.post("/appeals/{appeal_id}/decide", response=AppealOut, summary="Accept or reject an appeal")
def decide_appeal(request: HttpRequest, appeal_id: uuid.UUID, body: DecisionIn) -> AppealOut:
    member = _moderator(request)
    appeal = access.get_object_for_member(Appeal.objects.select_related("author"), member, appeal_id)
    if not access.can_moderate(member, appeal.author.network):
        raise Http404
    try:
        decided = public_appeals.decide(actor=member.user, appeal=appeal, accept=body.accept, note=body.note)
    except ModerationError as exc:
        raise _refused(exc) from None
    return _appeal_out(decided)


@router.get("/moderation-policy", response=PolicyIO, summary="The organisation's moderation policy")
def get_policy(request: HttpRequest) -> PolicyIO:
    current = policy_for(_moderator(request).organisation)
    return PolicyIO(**{name: getattr(current, name) for name in policy.FIELDS})


@router.put("/moderation-policy", response=PolicyIO, summary="Change the moderation policy")
def put_policy(request: HttpRequest, body: PolicyIO) -> PolicyIO:
    member = api_member(request)
    if not can_manage_policy(member):
        raise HttpError(403, _("Your role does not allow this action."))
    try:
        saved = policy.update_policy(actor=member.user, organisation=member.organisation, **body.dict())
    except ModerationError as exc:
        raise HttpError(400, exc.message) from None
    return PolicyIO(**{name: getattr(saved, name) for name in policy.FIELDS})
