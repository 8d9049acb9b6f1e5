"""API: who the token belongs to, and what they may do."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from juru.accounts.access import eligibility, get_object_for_member, role_can
from juru.accounts.api_auth import api_member
from juru.accounts.models import BrandAccount, OrgAction

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    organisation: str
    role: str
    actions: list[str]


class ReasonOut(Schema):
    code: str
    message: str


class EligibilityOut(Schema):
    account: UUID
    permission: str
    allowed: bool
    via: list[str]
    reasons: list[ReasonOut]


@router.get("", response=MeOut, summary="The member this token belongs to")
def me(request: HttpRequest) -> MeOut:
    member = api_member(request)
    return MeOut(
        username=member.user.get_username(),
        organisation=member.organisation.slug,
        role=member.role,
        actions=[action for action in OrgAction.values if role_can(member, action)],
    )


@router.get("/eligibility/{account_id}/{permission}", response=EligibilityOut, summary="May I use this permission?")
def my_eligibility(request: HttpRequest, account_id: UUID, permission: str) -> EligibilityOut:
    member = api_member(request)
    account = get_object_for_member(BrandAccount, member, account_id)
    answer = eligibility(member, permission, account)
    return EligibilityOut(
        account=account.public_id,
        permission=permission,
        allowed=answer.allowed,
        via=answer.via,
        reasons=[ReasonOut(code=r.code, message=str(r.message)) for r in answer.reasons],
    )
