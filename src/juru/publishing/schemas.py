"""Request and response shapes of the publishing API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from juru.scan import MAX_TEXT_CHARS


class ScanIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT_CHARS)
    account: Literal["brand", "personal"] = "brand"
    channel: Literal["post", "reply", "comment", "share"] = "post"
    network: str | None = None
    role: str | None = None
    crisis: bool | None = None
    lang: str | None = None
    account_id: UUID | None = None


class ScanOut(Schema):
    decision: UUID
    verdict: str
    revision: str
    lang: str
    hits: list[dict[str, Any]]
    findings: list[dict[str, Any]]


class DraftIn(Schema):
    accounts: list[UUID] = Field(..., min_length=1)
    text: str
    variants: dict[UUID, str] = {}
    campaign: str = ""
    business_function: str = ""
    scheduled_for: datetime | None = None


class DraftUpdate(Schema):
    text: str
    version: int
    variants: dict[UUID, str] = {}
    campaign: str | None = None
    business_function: str | None = None
    scheduled_for: datetime | None = None


class SubmitIn(Schema):
    acknowledged: list[str] = []


class DecisionIn(Schema):
    comment: str = ""
    version: int | None = None
    step: int | None = None


class ScheduleIn(Schema):
    confirm_accounts: list[str]
    when: datetime | None = None


class ReasonIn(Schema):
    reason: str = ""


class PostOut(Schema):
    account: UUID
    handle: str
    network: str
    account_type: str
    state: str
    due_at: datetime | None
    remote_id: str
    url: str
    reason: str


class ApprovalOut(Schema):
    member: str
    decision: str
    comment: str
    created_at: datetime


class StepOut(Schema):
    position: int
    name: str
    kind: str
    mode: str
    state: str
    approvals: list[ApprovalOut]


class DraftOut(Schema):
    id: UUID
    state: str
    state_reason: str
    text: str
    version: int
    verdict: str
    campaign: str
    business_function: str
    scheduled_for: datetime | None
    author: str
    acknowledged: list[str]
    posts: list[PostOut]
    steps: list[StepOut]
    created_at: datetime


class DecisionOut(Schema):
    id: UUID
    draft: UUID | None
    account: UUID | None
    verdict: str
    revision: str
    input_digest: str
    lang: str
    context: dict[str, Any]
    hits: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    purpose: str
    actor: str | None
    created_at: datetime


class ErrorOut(Schema):
    detail: str
    reasons: list[dict[str, str]] = []
