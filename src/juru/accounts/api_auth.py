"""Bearer-token authentication for the JSON API: it establishes who, never what (that is access.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from juru.accounts.api_limits import charge_token
from juru.accounts.models import Member
from juru.accounts.services.tokens import authenticate_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer juru_...``; ``request.auth`` becomes the token's member."""

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        api_token = authenticate_token(token)
        if api_token is None:
            return None
        # Counted only for a valid token: a wrong one gets a 401 and cannot use up someone's limit.
        charge_token(api_token.public_id)
        member = api_token.member
        request.user = member.user  # so code shared with the UI sees the same user
        request.api_token = api_token  # type: ignore[attr-defined]  # for handlers that show it
        return member


def api_member(request: HttpRequest) -> Member:
    """The member whose token authenticated this API request (every operation runs behind ``TokenAuth``)."""
    member = request.auth  # type: ignore[attr-defined]  # set by TokenAuth.authenticate
    assert isinstance(member, Member)
    return member
