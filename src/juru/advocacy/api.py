"""API: the advocacy library and shares (same services and checks as the pages; 404 across organisations)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from juru.accounts import access
from juru.accounts.api_auth import api_member
from juru.accounts.exceptions import AccountsError
from juru.accounts.models import BrandAccount
from juru.advocacy import queries, services
from juru.advocacy.exceptions import AdvocacyError, AdvocacyPausedError
from juru.advocacy.models import AdvocacyItem, Share
from juru.publishing.exceptions import PublishingError

router = Router(tags=["advocacy"])


class ItemIn(Schema):
    title: str
    text: str
    link: str = ""


class ItemOut(Schema):
    id: uuid.UUID
    title: str
    text: str
    link: str
    is_active: bool
    shares: int
    created_at: datetime


class ShareIn(Schema):
    account: uuid.UUID
    text: str = ""


class ShareOut(Schema):
    id: uuid.UUID
    item: uuid.UUID
    account: str
    draft: uuid.UUID
    state: str
    created_at: datetime


def _item_out(item: AdvocacyItem, shares: int) -> ItemOut:
    return ItemOut(
        id=item.public_id, title=item.title, text=item.text, link=item.link, is_active=item.is_active,
        shares=shares, created_at=item.created_at,
    )  # fmt: skip


def _share_out(share: Share) -> ShareOut:
    return ShareOut(
        id=share.public_id, item=share.item.public_id, account=share.account.handle, draft=share.draft.public_id,
        state=share.draft.state, created_at=share.created_at,
    )  # fmt: skip


@router.get("/advocacy/items", response=list[ItemOut], summary="The advocacy library")
def list_items(request: HttpRequest) -> list[ItemOut]:
    items = queries.library(api_member(request).organisation)
    return [_item_out(item, item.share_count) for item in items]  # type: ignore[attr-defined]  # annotated count


@router.post("/advocacy/items", response={201: ItemOut}, summary="Add a post to the advocacy library")
def add_item(request: HttpRequest, body: ItemIn) -> Status:
    member = api_member(request)
    if not queries.can_curate(member):
        raise HttpError(403, _("Your role does not allow this action."))
    try:
        item = services.add_item(actor=member, title=body.title, text=body.text, link=body.link)
    except AdvocacyError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, _item_out(item, 0))


@router.post("/advocacy/items/{item_id}/shares", response={201: ShareOut}, summary="Share from a personal account")
def share_item(request: HttpRequest, item_id: uuid.UUID, body: ShareIn) -> Status:
    member = api_member(request)
    item = access.get_object_for_member(AdvocacyItem, member, item_id)
    account = access.get_object_for_member(BrandAccount, member, body.account)
    try:
        share = services.share_item(
            actor=member, item=item, account=account, text=body.text, lang=get_language() or "id"
        )
    except AdvocacyPausedError as exc:
        raise HttpError(409, str(exc)) from None
    except (AdvocacyError, PublishingError, AccountsError) as exc:
        raise HttpError(400, str(exc)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return Status(201, _share_out(share))


@router.get("/advocacy/shares", response=list[ShareOut], summary="My advocacy shares")
def list_shares(request: HttpRequest) -> list[ShareOut]:
    return [_share_out(share) for share in queries.shares_of(api_member(request))[:500]]
