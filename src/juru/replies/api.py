"""API: saved replies (list, create, new version, approve), replying to a mention, presence.

Same services and checks as the pages; 404 across organisations; refusals are RFC 9457 problems.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts import access
from juru.accounts.api_auth import api_member
from juru.listening.models import Mention
from juru.publishing.exceptions import PublishingError
from juru.replies import editing, presence, queries, services
from juru.replies.exceptions import NotAllowedError, OverlapError, RepliesError
from juru.replies.models import Reply, SavedReply, SavedReplyVersion

router = Router(tags=["replies"])


class SavedReplyIn(Schema):
    title: str
    text_id: str
    text_en: str = ""
    tags: list[str] = []
    is_holding: bool = False


class SavedReplyVersionIn(SavedReplyIn):
    expected_version: int | None = None


class VersionOut(Schema):
    number: int
    text_id: str
    text_en: str
    material: bool
    approved: bool
    created_at: datetime


class SavedReplyOut(Schema):
    id: uuid.UUID
    title: str
    tags: list[str]
    is_holding: bool
    state: str
    usable: bool
    version: int
    variables: list[str]
    versions: list[VersionOut]


class ApproveIn(Schema):
    version: int | None = None


class ReplyIn(Schema):
    text: str
    values: dict[str, str] = {}
    saved_reply: uuid.UUID | None = None
    thread_key: str = ""
    opened_at: datetime | None = None
    acknowledge_warnings: bool = False
    send_anyway: bool = False


class ReplyOut(Schema):
    id: uuid.UUID
    mention: uuid.UUID
    draft: uuid.UUID
    draft_state: str
    verdict: str
    post_state: str
    thread_key: str
    created_at: datetime


class PresenceOut(Schema):
    name: str
    typing: bool


def _saved_out(saved: SavedReply) -> SavedReplyOut:
    versions = list(saved.versions.all())
    current = next(v for v in versions if v.number == saved.version)
    return SavedReplyOut(
        id=saved.public_id, title=saved.title, tags=saved.tags, is_holding=saved.is_holding, state=saved.state,
        usable=saved.is_usable, version=saved.version,
        variables=editing.variables(current.text_id + " " + current.text_en),
        versions=[
            VersionOut(number=v.number, text_id=v.text_id, text_en=v.text_en, material=v.material,
                       approved=v.approved_at is not None, created_at=v.created_at)
            for v in versions
        ],
    )  # fmt: skip


def _reply_out(reply: Reply) -> ReplyOut:
    post = reply.draft.posts.first()
    return ReplyOut(
        id=reply.public_id, mention=reply.mention.public_id, draft=reply.draft.public_id,
        draft_state=reply.draft.state, verdict=reply.draft.verdict, post_state=post.state if post else "",
        thread_key=reply.thread_key, created_at=reply.created_at,
    )  # fmt: skip


def _refused(exc: RepliesError | PublishingError) -> HttpError:
    if isinstance(exc, NotAllowedError):
        return HttpError(403, exc.message)
    if isinstance(exc, OverlapError):
        return HttpError(409, exc.message)
    return HttpError(exc.status, exc.message)


@router.get("/saved-replies", response=list[SavedReplyOut], summary="Saved replies")
def list_saved(request: HttpRequest, tag: str = "", lang: str = "", state: str = "") -> list[SavedReplyOut]:
    filters = queries.parse_filters({"tag": tag, "lang": lang, "state": state})
    return [_saved_out(s) for s in queries.library(api_member(request).organisation, filters)]


@router.post("/saved-replies", response={201: SavedReplyOut}, summary="Create a saved reply (waits for approval)")
def create_saved(request: HttpRequest, body: SavedReplyIn) -> Status:
    try:
        saved = services.create_saved_reply(actor=api_member(request), **body.dict())
    except (RepliesError, PublishingError) as exc:
        raise _refused(exc) from None
    return Status(201, _saved_out(saved))


@router.post("/saved-replies/{saved_id}/versions", response={201: SavedReplyOut}, summary="Write a new version")
def add_version(request: HttpRequest, saved_id: uuid.UUID, body: SavedReplyVersionIn) -> Status:
    member = api_member(request)
    saved = access.get_object_for_member(SavedReply, member, saved_id)
    try:
        saved = services.edit_saved_reply(saved, actor=member, **body.dict())
    except (RepliesError, PublishingError) as exc:
        raise _refused(exc) from None
    return Status(201, _saved_out(saved))


@router.post("/saved-replies/{saved_id}/approve", response=SavedReplyOut, summary="Approve the current version")
def approve_saved(request: HttpRequest, saved_id: uuid.UUID, body: ApproveIn) -> SavedReplyOut:
    member = api_member(request)
    saved = access.get_object_for_member(SavedReply, member, saved_id)
    try:
        return _saved_out(services.approve_saved_reply(saved, actor=member, version=body.version))
    except RepliesError as exc:
        raise _refused(exc) from None


@router.post("/mentions/{mention_id}/reply", response={201: ReplyOut}, summary="Reply to a mention")
def reply_to_mention(request: HttpRequest, mention_id: uuid.UUID, body: ReplyIn) -> Status:
    member = api_member(request)
    mention = access.get_object_for_member(Mention.objects.select_related("account"), member, mention_id)
    version: SavedReplyVersion | None = None
    if body.saved_reply is not None:
        saved = access.get_object_for_member(SavedReply, member, body.saved_reply)
        version = saved.current
    try:
        reply = services.send_reply(
            actor=member, mention=mention, text=body.text, thread_key=body.thread_key or str(mention.public_id),
            opened_at=body.opened_at or timezone.now(), values=body.values, saved_version=version,
            acknowledge_warnings=body.acknowledge_warnings, send_anyway=body.send_anyway,
        )  # fmt: skip
    except (RepliesError, PublishingError) as exc:
        raise _refused(exc) from None
    return Status(201, _reply_out(reply))


@router.get("/replies/{reply_id}", response=ReplyOut, summary="A reply and the state of its draft and post")
def get_reply(request: HttpRequest, reply_id: uuid.UUID) -> ReplyOut:
    reply = access.get_object_for_member(
        Reply.objects.select_related("draft", "mention"), api_member(request), reply_id
    )
    return _reply_out(reply)


@router.get("/presence", response=list[PresenceOut], summary="Who else is viewing or typing on a conversation")
def read_presence(request: HttpRequest, thread_key: str) -> list[PresenceOut]:
    people = presence.others(api_member(request), thread_key.strip()[:200])
    return [PresenceOut(name=p.name, typing=p.typing) for p in people]
