"""Request and response shapes of the governance API (policies, sign-off, training)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class PolicyVersionOut(Schema):
    id: UUID
    number: int
    title: str
    published_at: datetime | None
    published_by: str | None
    material: bool
    sign_by: datetime | None
    change_note: str
    revision: str
    hash: str


class PolicyDetailOut(PolicyVersionOut):
    body_id: str
    body_en: str
    config: dict[str, Any]


class SignIn(Schema):
    full_name: str = Field(..., max_length=200)
    password: str
    confirm: bool


class SignoffOut(Schema):
    id: UUID
    member: str
    version: int
    signed_at: datetime
    version_hash: str
    full_name: str
    ip_address: str | None


class SignStateOut(Schema):
    current: int | None
    signed: bool
    counts: bool
    due_by: datetime | None


class ModuleOut(Schema):
    id: UUID
    code: str
    title: str
    required: bool
    pass_score: int
    valid_days: int | None
    passed: bool
    expires_at: datetime | None
    attempts: int


class QuestionOut(Schema):
    number: int
    section: int
    text: str
    choices: list[str]


class ModuleDetailOut(ModuleOut):
    body: str
    sections: list[str]
    questions: list[QuestionOut]


class AttemptIn(Schema):
    answers: dict[int, int]
    attempt_token: UUID


class CompletionOut(Schema):
    id: UUID
    member: str
    module: str
    score: int
    passed: bool
    completed_at: datetime
    expires_at: datetime | None
    wrong_sections: list[int]
